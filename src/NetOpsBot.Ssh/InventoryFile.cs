using System.Net;
using System.Text.Json;
using NetOpsBot.Core.Devices;

namespace NetOpsBot.Ssh;

/// <summary>
/// The inventory JSON the lab writes (and a site file in the same shape): jumpHosts[], consoleServers[],
/// devices[]. Gives the connector its jump hosts and console servers and serves <see cref="IDeviceInventory"/>.
/// </summary>
public sealed class InventoryFile : IDeviceInventory
{
    private readonly Dictionary<string, DeviceRef> _devices;

    private InventoryFile(Dictionary<string, DeviceRef> devices, Dictionary<string, JumpHostOptions> jumpHosts, Dictionary<string, string> consoleServers)
    {
        _devices = devices;
        JumpHosts = jumpHosts;
        ConsoleServers = consoleServers;
    }

    public IReadOnlyDictionary<string, JumpHostOptions> JumpHosts { get; }

    public IReadOnlyDictionary<string, string> ConsoleServers { get; }

    public IReadOnlyCollection<DeviceRef> Devices => _devices.Values;

    public static InventoryFile Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var jumps = new Dictionary<string, JumpHostOptions>(StringComparer.Ordinal);
        foreach (var j in Array(root, "jumpHosts"))
        {
            var name = Str(j, "name")!;
            jumps[name] = new JumpHostOptions
            {
                Name = name,
                Address = Str(j, "address")!,
                Port = j.TryGetProperty("port", out var p) ? p.GetInt32() : 22,
                User = Str(j, "user")!,
                PrivateKeyPath = Str(j, "keyFile")!,
            };
        }

        var consoles = Array(root, "consoleServers").ToDictionary(c => Str(c, "name")!, c => Str(c, "address")!, StringComparer.Ordinal);
        var site = root.TryGetProperty("site", out var rs) && rs.ValueKind == JsonValueKind.String ? rs.GetString() : null;
        var devices = new Dictionary<string, DeviceRef>(StringComparer.Ordinal);
        foreach (var d in Array(root, "devices"))
        {
            var name = DeviceName.Parse(Str(d, "name")!);
            ConsoleEndpoint? console = d.TryGetProperty("console", out var c) && c.ValueKind == JsonValueKind.Object
                ? new ConsoleEndpoint(Str(c, "server")!, c.GetProperty("port").GetInt32())
                : null;
            devices[name.Value] = new DeviceRef(
                name,
                Str(d, "platform") ?? "huawei-vrp",
                Str(d, "managementAddress")!,
                IPAddress.Parse(Str(d, "managementIp")!),
                d.TryGetProperty("sshPort", out var sp) ? sp.GetInt32() : 22,
                Array(d, "alternatePorts").Select(x => x.GetInt32()).ToList(),
                Str(d, "gateway") is { } gw ? DeviceName.Parse(gw) : null,
                Str(d, "jumpHost"),
                console,
                Str(d, "credential") ?? string.Empty)
            {
                Site = Str(d, "site") ?? site,
                ExpectedBootTime = d.TryGetProperty("expectedBootSeconds", out var boot) && boot.ValueKind == JsonValueKind.Number && boot.GetDouble() > 0
                    ? TimeSpan.FromSeconds(boot.GetDouble())
                    : null,
            };
        }

        return new InventoryFile(devices, jumps, consoles);
    }

    public DeviceRef this[string name] => _devices[name];

    public Task<IReadOnlyList<DeviceRef>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DeviceRef>>([.. _devices.Values.OrderBy(d => d.Name.Value, StringComparer.Ordinal)]);

    public Task<DeviceRef?> FindAsync(DeviceName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Task.FromResult(_devices.GetValueOrDefault(name.Value));
    }

    /// <summary>Connector options for this inventory; the limits keep their defaults (use a `with` expression to change them).</summary>
    public SshConnectorOptions ToConnectorOptions(string knownHostsPath) => new()
    {
        JumpHosts = JumpHosts,
        DefaultJumpHost = JumpHosts.Count == 1 ? JumpHosts.Keys.Single() : null,
        ConsoleServers = ConsoleServers,
        KnownHostsPath = knownHostsPath,
    };

    private static List<JsonElement> Array(JsonElement e, string name) =>
        e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().ToList() : [];

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
