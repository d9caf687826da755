namespace NetOpsBot.Ssh.Tests;

/// <summary>The inventory's site: a device's own, else the inventory's (what maintenance by site matches).</summary>
public sealed class InventorySiteTests
{
    [Fact]
    public void Site_DeviceOwnOrTheInventorys_NoneWhenNeitherNamesOne()
    {
        var dir = Directory.CreateTempSubdirectory("netopsbot-inventory-");
        try
        {
            var withSite = Path.Combine(dir.FullName, "a.json");
            File.WriteAllText(withSite, """
                {"site":"lab","devices":[
                  {"name":"sw-access-12","managementAddress":"127.0.0.12","managementIp":"10.12.0.12"},
                  {"name":"sw-access-13","managementAddress":"127.0.0.13","managementIp":"10.12.0.13","site":"paris-dc2"}]}
                """);
            var a = InventoryFile.Load(withSite);
            Assert.Equal("lab", a["sw-access-12"].Site);
            Assert.Equal("paris-dc2", a["sw-access-13"].Site);

            var without = Path.Combine(dir.FullName, "b.json");
            File.WriteAllText(without, """{"devices":[{"name":"sw-access-12","managementAddress":"127.0.0.12","managementIp":"10.12.0.12"}]}""");
            Assert.Null(InventoryFile.Load(without)["sw-access-12"].Site);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
