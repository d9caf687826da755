using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Tests.Fakes;

namespace NetOpsBot.Core.Tests.Devices;

/// <summary>What people type for a device: any case, the management IP, or a near miss that gets an inventory name back.</summary>
public sealed class DeviceLookupTests
{
    private readonly ListInventory _inventory = new("sw-access-11", "sw-access-12", "sw-core-01", "fw-edge-7");

    private Task<DeviceLookupResult> Find(string typed) => DeviceLookup.FindAsync(_inventory, DeviceName.Parse(typed), CancellationToken.None);

    [Theory]
    [InlineData("sw-access-12", "sw-access-12")]
    [InlineData("SW-Access-12", "sw-access-12")]
    [InlineData("SW-CORE-01", "sw-core-01")]
    [InlineData("10.0.0.12", "sw-access-12")]
    [InlineData("10.0.0.7", "fw-edge-7")]
    public async Task NameInAnyCaseOrManagementIp_FindsTheEntry(string typed, string device)
    {
        var found = await Find(typed);
        Assert.Equal(device, found.Device?.Name.Value);
        Assert.Null(found.DidYouMean);
    }

    [Theory]
    [InlineData("sw-acess-12", "sw-access-12")]
    [InlineData("sw-accesss-12", "sw-access-12")]
    [InlineData("SW-CORE-1", "sw-core-01")]
    [InlineData("sw-core01", "sw-core-01")]
    public async Task NearMiss_NoDevice_SuggestsTheInventoryName(string typed, string suggestion)
    {
        var found = await Find(typed);
        Assert.Null(found.Device);
        Assert.Equal(suggestion, found.DidYouMean?.Value);
    }

    [Theory]
    [InlineData("sw-access-1")] // as close to -11 as to -12: a guess, not a suggestion
    [InlineData("rtr-branch-99")]
    [InlineData("10.0.0.99")]
    [InlineData("10.0.0")]
    [InlineData("sw")]
    public async Task FarOrAmbiguous_NoDeviceAndNoSuggestion(string typed)
    {
        var found = await Find(typed);
        Assert.Equal((null, null), (found.Device, found.DidYouMean));
    }

    [Fact]
    public async Task InventoryThatCannotList_StillFindsExactNames()
    {
        var plain = new ExactOnly();
        Assert.Equal("sw-access-12", (await DeviceLookup.FindAsync(plain, DeviceName.Parse("sw-access-12"), CancellationToken.None)).Device?.Name.Value);
        Assert.Null((await DeviceLookup.FindAsync(plain, DeviceName.Parse("SW-ACCESS-12"), CancellationToken.None)).Device);
    }

    private sealed class ExactOnly : IDeviceInventory
    {
        public Task<DeviceRef?> FindAsync(DeviceName name, CancellationToken cancellationToken) =>
            Task.FromResult(name.Value == "sw-access-12" ? ListInventory.Device("sw-access-12") : null);
    }
}
