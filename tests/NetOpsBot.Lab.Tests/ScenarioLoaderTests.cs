namespace NetOpsBot.Lab.Tests;

public sealed class ScenarioLoaderTests
{
    [Theory]
    [InlineData("healthy")]
    [InlineData("ssh-disabled")]
    [InlineData("no-rsa-key")]
    [InlineData("no-default-route")]
    [InlineData("ghost-port")]
    [InlineData("vty-acl")]
    [InlineData("telnet-only-vty")]
    [InlineData("device-down")]
    [InlineData("seed-case")]
    [InlineData("mgmt-interface-down")]
    [InlineData("interface-acl")]
    public void Load_BuiltInScenario_Loads(string name)
    {
        var scenario = ScenarioLoader.Load(name);

        Assert.Equal(name, scenario.Name);
        Assert.False(string.IsNullOrWhiteSpace(scenario.Description));
    }

    [Fact]
    public void Load_InterfaceAcl_FiltersTheManagementInterfaceWithAcl2001()
    {
        var scenario = ScenarioLoader.Load("interface-acl");

        Assert.Equal(2001, scenario.Device.ManagementInterfaceAclInbound);
        Assert.True(scenario.Device.ManagementInterfaceUp);
        Assert.False(ScenarioLoader.Load("mgmt-interface-down").Device.ManagementInterfaceUp);
    }

    [Fact]
    public void Parse_ManagementInterfaceAclMissing_NamesField()
    {
        var path = Path.Combine(Path.GetTempPath(), "netopsbot-scn-" + Guid.NewGuid().ToString("N")[..8] + ".yml");
        File.WriteAllText(path, "description: x\ndevice:\n  managementInterface:\n    aclInbound: 2005\n");
        try
        {
            var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path));
            Assert.Contains("device.managementInterface.aclInbound", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_SeedCase_HasNoDefaultRouteAndStuckListener()
    {
        var seed = ScenarioLoader.Load("seed-case").Device;

        Assert.False(seed.DefaultRoute);
        Assert.Equal(22, seed.SshPort);
        Assert.Equal(64443, seed.StuckListenerPort);
        Assert.True(seed.StelnetEnabled);
    }

    [Fact]
    public void Load_UnknownName_ListsKnownScenarios()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load("no-such-scenario"));

        Assert.Contains("seed-case", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NameWithPathTricks_IsRejected()
    {
        Assert.Throws<ScenarioException>(() => ScenarioLoader.Load("..%2fetc"));
    }

    [Fact]
    public void Parse_UnknownField_NamesFileAndField()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("bad", "/tmp/bad.yml", "description: x\ndevice:\n  sshh:\n    port: 22\n"));

        Assert.Contains("/tmp/bad.yml", ex.Message, StringComparison.Ordinal);
        Assert.Contains("sshh", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PortOutOfRange_NamesFieldPath()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("bad", "bad.yml", "description: x\ndevice:\n  ssh:\n    port: 80\n"));

        Assert.Contains("bad.yml", ex.Message, StringComparison.Ordinal);
        Assert.Contains("device.ssh.port", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongType_NamesFileAndLine()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("bad", "bad.yml", "description: x\ndevice:\n  poweredOn: maybe\n"));

        Assert.Contains("bad.yml", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingDescription_NamesField()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("bad", "bad.yml", "device: {}\n"));

        Assert.Contains("'description'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AclReferenceMissing_NamesField()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("bad", "bad.yml", "description: x\ndevice:\n  vty:\n    aclInbound: 2001\n"));

        Assert.Contains("device.vty.aclInbound", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadAclSource_NamesIndexedField()
    {
        const string yaml = "description: x\ndevice:\n  acls:\n    - number: 2000\n      rules:\n        - { id: 5, action: deny, source: 10.200.0.300 }\n";

        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("bad", "bad.yml", yaml));

        Assert.Contains("device.acls[0].rules[0].source", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BrokenYaml_NamesFile()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("bad", "broken.yml", "description: [unclosed\n"));

        Assert.Contains("broken.yml", ex.Message, StringComparison.Ordinal);
    }
}

public sealed class ScenarioCliFaultTests
{
    [Fact]
    public void Parse_UnknownCliFault_NamesField()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("bad", "bad.yml", "description: x\ndevice:\n  cliFault: explode\n"));

        Assert.Contains("device.cliFault", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KnownCliFault_IsKept()
    {
        Assert.Equal("flood", ScenarioLoader.Parse("f", "f.yml", "description: x\ndevice:\n  cliFault: flood\n").Device.CliFault);
    }
}
