using System.Net;
using NetOpsBot.Lab.Emulator;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace NetOpsBot.Lab;

/// <summary>A lab scenario: the starting state of the device under test (sw-access-12).</summary>
public sealed record Scenario(string Name, string SourceFile, string Description, TimeSpan BootTime, ScenarioDevice Device)
{
    /// <summary>Cisco IOS-XE access switches beside the VRP ones (a mixed site), each with one root cause.</summary>
    public IReadOnlyList<ScenarioIosXeSwitch> IosXeSwitches { get; init; } = [];
}

/// <summary>What a scenario file may change on the device under test; null keeps the healthy default.</summary>
public sealed record ScenarioDevice(
    bool PoweredOn,
    bool DefaultRoute,
    bool RsaKeyPresent,
    bool TelnetServerEnabled,
    bool StelnetEnabled,
    int SshPort,
    int? StuckListenerPort,
    string VtyProtocolInbound,
    int? VtyAclInbound,
    IReadOnlyList<AclProfile> Acls)
{
    /// <summary>
    /// A broken CLI, not a VRP state: hang (never a prompt), flood (100 MB of output), garbage (bytes
    /// that are not VRP) or drop (the session closes in the middle of a command's output).
    /// </summary>
    public string? CliFault { get; init; }

    /// <summary>Vlanif10 (the management interface) is administratively up; false: `shutdown`, so the gateway gets no ARP.</summary>
    public bool ManagementInterfaceUp { get; init; } = true;

    /// <summary>A basic ACL applied with `traffic-filter inbound` on Vlanif10: denied packets are dropped before TCP sees them.</summary>
    public int? ManagementInterfaceAclInbound { get; init; }
}

/// <summary>A scenario file that cannot be used; the message names the file and the field.</summary>
public sealed class ScenarioException(string message, Exception? inner = null) : Exception(message, inner);

public static class ScenarioLoader
{
    public static string BuiltInDirectory => Path.Combine(AppContext.BaseDirectory, "Scenarios");

    public static IReadOnlyList<string> BuiltInNames() =>
        Directory.Exists(BuiltInDirectory)
            ? Directory.GetFiles(BuiltInDirectory, "*.yml").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Loads a built-in scenario by name, or a file when <paramref name="nameOrPath"/> is a path.</summary>
    public static Scenario Load(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        var isPath = nameOrPath.Contains('/', StringComparison.Ordinal) || nameOrPath.EndsWith(".yml", StringComparison.Ordinal) || nameOrPath.EndsWith(".yaml", StringComparison.Ordinal);
        if (!isPath)
        {
            if (!IsSafeName(nameOrPath))
            {
                throw new ScenarioException($"Unknown scenario '{nameOrPath}'. Known scenarios: {string.Join(", ", BuiltInNames())}.");
            }

            var file = Path.Combine(BuiltInDirectory, nameOrPath + ".yml");
            if (!File.Exists(file))
            {
                throw new ScenarioException($"Unknown scenario '{nameOrPath}'. Known scenarios: {string.Join(", ", BuiltInNames())}.");
            }

            return Parse(Path.GetFileNameWithoutExtension(file), file, File.ReadAllText(file));
        }

        if (!File.Exists(nameOrPath))
        {
            throw new ScenarioException($"Scenario file '{nameOrPath}' does not exist.");
        }

        return Parse(Path.GetFileNameWithoutExtension(nameOrPath), nameOrPath, File.ReadAllText(nameOrPath));
    }

    private static bool IsSafeName(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    public static Scenario Parse(string name, string sourceFile, string yaml)
    {
        ScenarioDocument doc;
        try
        {
            var deserializer = new DeserializerBuilder()
                .WithNamingConvention(CamelCaseNamingConvention.Instance)
                .Build();
            doc = deserializer.Deserialize<ScenarioDocument?>(yaml) ?? throw new ScenarioException($"Scenario file '{sourceFile}': the file is empty.");
        }
        catch (YamlException ex)
        {
            // YamlDotNet reports unknown or mistyped fields with their position; keep that and add the file.
            var inner = ex.InnerException?.Message;
            var detail = string.IsNullOrEmpty(inner) ? ex.Message : $"{ex.Message} ({inner})";
            throw new ScenarioException($"Scenario file '{sourceFile}' line {ex.Start.Line}, column {ex.Start.Column}: {FieldHint(ex)}{detail}", ex);
        }

        return Validate(name, sourceFile, doc);
    }

    private static string FieldHint(YamlException ex)
    {
        const string marker = "Property '";
        var at = ex.Message.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return string.Empty;
        }

        var end = ex.Message.IndexOf('\'', at + marker.Length);
        return end > at ? $"field '{ex.Message[(at + marker.Length)..end]}': " : string.Empty;
    }

    private static Scenario Validate(string name, string file, ScenarioDocument doc)
    {
        void Fail(string field, string problem) => throw new ScenarioException($"Scenario file '{file}': field '{field}' {problem}");

        if (string.IsNullOrWhiteSpace(doc.Description))
        {
            Fail("description", "is required (one line saying what is wrong on the device).");
        }

        var bootSeconds = doc.BootTimeSeconds ?? 5;
        if (bootSeconds is < 0 or > 600)
        {
            Fail("bootTimeSeconds", $"must be between 0 and 600 (got {bootSeconds}).");
        }

        var d = doc.Device ?? new DeviceDocument();
        var ssh = d.Ssh ?? new SshDocument();
        var port = ssh.Port ?? 22;
        if (!IsValidSshPort(port))
        {
            Fail("device.ssh.port", $"must be 22 or 1025-65535, as VRP accepts (got {port}).");
        }

        if (ssh.StuckListenerPort is { } stuck && !IsValidSshPort(stuck))
        {
            Fail("device.ssh.stuckListenerPort", $"must be 22 or 1025-65535 (got {stuck}).");
        }

        var vty = d.Vty ?? new VtyDocument();
        var protocol = vty.ProtocolInbound ?? "ssh";
        if (protocol is not ("ssh" or "telnet" or "all"))
        {
            Fail("device.vty.protocolInbound", $"must be ssh, telnet or all (got '{protocol}').");
        }

        if (d.CliFault is not null and not ("hang" or "flood" or "garbage" or "drop"))
        {
            Fail("device.cliFault", $"must be hang, flood, garbage or drop (got '{d.CliFault}').");
        }

        var acls = new List<AclProfile>();
        for (var i = 0; i < (d.Acls?.Count ?? 0); i++)
        {
            var acl = d.Acls![i];
            var path = $"device.acls[{i}]";
            if (acl.Number is not (>= 2000 and <= 2999))
            {
                Fail($"{path}.number", $"must be a basic ACL number 2000-2999 (got {acl.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}).");
            }

            var rules = new List<AclRuleProfile>();
            for (var j = 0; j < (acl.Rules?.Count ?? 0); j++)
            {
                var rule = acl.Rules![j];
                var rpath = $"{path}.rules[{j}]";
                if (rule.Id is not (>= 0 and <= 4294967294))
                {
                    Fail($"{rpath}.id", "is required and must be a rule number.");
                }

                if (rule.Action is not ("permit" or "deny"))
                {
                    Fail($"{rpath}.action", $"must be permit or deny (got '{rule.Action}').");
                }

                if (rule.Source is not null && !IsIPv4(rule.Source))
                {
                    Fail($"{rpath}.source", $"must be an IPv4 address (got '{rule.Source}').");
                }

                if (rule.Wildcard is not null && !IsIPv4(rule.Wildcard))
                {
                    Fail($"{rpath}.wildcard", $"must be an IPv4 wildcard mask such as 0.0.0.255 (got '{rule.Wildcard}').");
                }

                rules.Add(new AclRuleProfile((int)rule.Id!.Value, rule.Action!, rule.Source, rule.Wildcard ?? (rule.Source is null ? null : "0.0.0.0")));
            }

            acls.Add(new AclProfile(acl.Number!.Value, rules));
        }

        var mgmt = d.ManagementInterface ?? new ManagementInterfaceDocument();
        if (mgmt.AclInbound is { } filterAcl && acls.All(a => a.Number != filterAcl))
        {
            Fail("device.managementInterface.aclInbound", $"refers to ACL {filterAcl}, which the scenario does not define under device.acls.");
        }

        if (vty.AclInbound is { } aclIn && acls.All(a => a.Number != aclIn))
        {
            Fail("device.vty.aclInbound", $"refers to ACL {aclIn}, which the scenario does not define under device.acls.");
        }

        var device = new ScenarioDevice(
            PoweredOn: d.PoweredOn ?? true,
            DefaultRoute: d.DefaultRoute ?? true,
            RsaKeyPresent: d.RsaKeyPresent ?? true,
            TelnetServerEnabled: d.TelnetServerEnabled ?? false,
            StelnetEnabled: ssh.StelnetEnabled ?? true,
            SshPort: port,
            StuckListenerPort: ssh.StuckListenerPort,
            VtyProtocolInbound: protocol,
            VtyAclInbound: vty.AclInbound,
            Acls: acls)
        {
            CliFault = d.CliFault,
            ManagementInterfaceUp = mgmt.Up ?? true,
            ManagementInterfaceAclInbound = mgmt.AclInbound,
        };
        return new Scenario(name, file, doc.Description!.Trim(), TimeSpan.FromSeconds(bootSeconds), device)
        {
            IosXeSwitches = ScenarioIosXeSwitch.Validate(file, doc.IosXeSwitches),
        };
    }

    private static bool IsValidSshPort(int port) => port == 22 || port is >= 1025 and <= 65535;

    private static bool IsIPv4(string text) =>
        IPAddress.TryParse(text, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text.Count(c => c == '.') == 3;

    // YamlDotNet binds by reflection; these mirror the file format and nothing else.
#pragma warning disable CA1812 // instantiated by YamlDotNet
    internal sealed class ScenarioDocument
    {
        public string? Description { get; set; }

        public double? BootTimeSeconds { get; set; }

        public DeviceDocument? Device { get; set; }

        public List<IosXeSwitchDocument>? IosXeSwitches { get; set; }
    }

    internal sealed class IosXeSwitchDocument
    {
        public string? Name { get; set; }

        public string? Fault { get; set; }
    }

    internal sealed class DeviceDocument
    {
        public bool? PoweredOn { get; set; }

        public bool? DefaultRoute { get; set; }

        public bool? RsaKeyPresent { get; set; }

        public bool? TelnetServerEnabled { get; set; }

        public SshDocument? Ssh { get; set; }

        public VtyDocument? Vty { get; set; }

        public List<AclDocument>? Acls { get; set; }

        public string? CliFault { get; set; }

        public ManagementInterfaceDocument? ManagementInterface { get; set; }
    }

    internal sealed class ManagementInterfaceDocument
    {
        public bool? Up { get; set; }

        public int? AclInbound { get; set; }
    }

    internal sealed class SshDocument
    {
        public bool? StelnetEnabled { get; set; }

        public int? Port { get; set; }

        public int? StuckListenerPort { get; set; }
    }

    internal sealed class VtyDocument
    {
        public string? ProtocolInbound { get; set; }

        public int? AclInbound { get; set; }
    }

    internal sealed class AclDocument
    {
        public int? Number { get; set; }

        public List<AclRuleDocument>? Rules { get; set; }
    }

    internal sealed class AclRuleDocument
    {
        public long? Id { get; set; }

        public string? Action { get; set; }

        public string? Source { get; set; }

        public string? Wildcard { get; set; }
    }
#pragma warning restore CA1812
}
