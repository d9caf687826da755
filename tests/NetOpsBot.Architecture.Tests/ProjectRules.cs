namespace NetOpsBot.Architecture.Tests;

/// <summary>
/// What one project under src/ may reference of ours (DESIGN.md §3). A whitelist, not a blacklist: a reference
/// that is not listed here fails, so a new arrow between projects is a decision someone writes down.
/// </summary>
/// <param name="Project">The project's folder and file name under src/.</param>
/// <param name="MayReference">Our projects it may reference; null for a composition root, which may reference all.</param>
/// <param name="Why">Shown when the rule fails.</param>
internal sealed record ProjectRule(string Project, IReadOnlyList<string>? MayReference, string Why)
{
    public bool IsCompositionRoot => MayReference is null;
}

/// <summary>
/// A dependency that breaks a rule today and is tolerated until the named work removes it. Only the listed types
/// may carry it: any other type (or project) that makes the same dependency fails. When the dependency is gone,
/// the tests fail until this entry is deleted, so the list only ever shrinks.
/// </summary>
internal sealed record KnownViolation(string From, string To, IReadOnlyList<string> Types, string RemovedBy);

internal static class ProjectRules
{
    public const string Core = "NetOpsBot.Core";
    public const string Vrp = "NetOpsBot.Vrp";
    public const string IosXe = "NetOpsBot.IosXe";
    public const string Alerts = "NetOpsBot.Alerts";
    public const string Platforms = "NetOpsBot.Platforms";
    public const string RunbookSshUnreachable = "NetOpsBot.Runbooks.SshUnreachable";
    public const string Ssh = "NetOpsBot.Ssh";
    public const string Cards = "NetOpsBot.Cards";
    public const string Teams = "NetOpsBot.Teams";
    public const string Slack = "NetOpsBot.Slack";
    public const string Storage = "NetOpsBot.Storage";
    public const string SecretsKeyVault = "NetOpsBot.Secrets.KeyVault";
    public const string Lab = "NetOpsBot.Lab";
    public const string LabEmulator = "NetOpsBot.Lab.Emulator";
    public const string LabVty = "NetOpsBot.Lab.Vty";
    public const string Host = "NetOpsBot.Host";
    public const string Cli = "NetOpsBot.Cli";

    public static IReadOnlyList<ProjectRule> All { get; } =
    [
        new(Core, [], "Core is the domain and its ports: it references nothing of ours"),
        // A platform implements runbooks (their collector contracts, the remediations of their causes), so it depends
        // on them; a runbook never names a platform (issue 16, seam 1).
        new(Vrp, [Core, RunbookSshUnreachable], "a device platform knows Core's model and ports and the runbooks it implements, nothing else of ours"),
        new(IosXe, [Core, RunbookSshUnreachable], "a device platform knows Core's model and ports and the runbooks it implements, nothing else of ours (not another platform)"),
        new(Alerts, [Core], "alert intake (payloads, routing, dedupe) is domain logic over Core's ports; the Host owns the endpoints"),
        new(RunbookSshUnreachable, [Core], "a runbook's engine, rules and catalogue are vendor-neutral: each platform's collectors do the talking, and a platform depends on the runbook, never the reverse (issue 16, seam 1)"),
        new(Platforms, [Core, RunbookSshUnreachable, Vrp, IosXe], "the one list of device platforms and runbooks (issue 16, seams 1 and 2): it only names them for the composition roots"),
        new(Ssh, [Core], "device access is vendor-neutral: it knows Core's ports, not a platform (issue 16, seam 2)"),
        new(Cards, [Core], "cards are channel-neutral views of Core's model"),
        new(Teams, [Core, Cards], "a chat adapter is a protocol edge over Core and Cards; adapters never reference each other, storage, device access or a platform"),
        new(Slack, [Core, Cards], "a chat adapter is a protocol edge over Core and Cards; adapters never reference each other, storage, device access or a platform"),
        new(Storage, [Core], "storage implements Core's store ports"),
        new(SecretsKeyVault, [Core], "a secrets provider implements Core's ports"),
        // The lab's output is checked against real device samples; sharing code with the parsers (or Core's model)
        // would let a parser bug and an emulator bug cancel out (DESIGN.md §3, NetOpsBot.Lab).
        new(Lab, [LabEmulator, LabVty], "the lab shares no code with the product: only the lab's own projects"),
        new(LabEmulator, [], "the emulator shares no formatter or parser with the product"),
        new(LabVty, [], "the VTY shim shares no code with the product"),
        new(Host, null, "composition root"),
        new(Cli, null, "composition root"),
    ];

    // Empty since issue 16 seam 2 (IDeviceDialect): NetOpsBot.Ssh speaks every CLI through Core's port.
    public static IReadOnlyList<KnownViolation> Known { get; } = [];

    public static ProjectRule For(string project) =>
        All.SingleOrDefault(r => r.Project == project) ?? throw new KeyNotFoundException($"no rule for {project}");

    public static IEnumerable<KnownViolation> KnownFrom(string project) => Known.Where(k => k.From == project);
}
