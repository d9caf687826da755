using System.Net;
using System.Text;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Cards.Tests;

/// <summary>Views of the cards the product emits, from the reference case and the extremes.</summary>
internal static class CardFixtures
{
    /// <summary>The runbook whose catalogue says why each fix and in which order.</summary>
    public static Core.Runbooks.RunbookDefinition SshRunbook => SshUnreachableRunbook.Definition;

    public const string Incident = "INC-20261124-0007";
    public static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);
    public static readonly CardLinks Links = new("https://netopsbot.example.test/incidents/{incidentId}", "https://netopsbot.example.test/incidents/{incidentId}/steps/{stepId}/output");

    public static readonly IReadOnlyList<StepDescriptor> Runbook =
    [
        new("access", "Access through the jump host"),
        new("gateway", "L2/L3 from the gateway"),
        new("routing", "Routing table"),
        new("service", "SSH server"),
        new("listener", "TCP listeners"),
        new("ssh-debug", "SSH debug"),
        new("hardening", "Hardening"),
    ];

    public static DeviceRef Device { get; } = new(
        DeviceName.Parse("sw-access-12"), "huawei-vrp", "127.0.1.12", IPAddress.Parse("10.20.12.12"), 22, [64443],
        DeviceName.Parse("gw-agg-01"), "jump-1", null, "cred/sw-access-12")
    { GatewayIp = IPAddress.Parse("10.20.12.1") };

    public static RemediationPlan RouteFix { get; } = new(
        "route-default", SshUnreachableCauses.ReturnRouteMissing, "Add a default route to the gateway",
        [CommandTemplate.Parse("ip route-static 0.0.0.0 0.0.0.0 {gateway:ipv4}").TryRender(new Dictionary<string, string> { ["gateway"] = "10.20.12.1" }).Command!],
        RemediationKind.Config, ApprovalPolicy.For(RemediationKind.Config));

    public static RemediationPlan PortFix { get; } = new(
        "ssh-port-22", SshUnreachableCauses.ListenerStuck, "Apply fix: ssh server port 22",
        [CommandTemplate.Parse("ssh server port {port:ssh-port}").TryRender(new Dictionary<string, string> { ["port"] = "22" }).Command!],
        RemediationKind.Config, ApprovalPolicy.For(RemediationKind.Config));

    public static RemediationPlan Reboot { get; } = new(
        "reboot", SshUnreachableCauses.ListenerStuck, "Save and reboot",
        [CommandTemplate.Parse("save").Render(), CommandTemplate.Parse("reboot").Render()],
        RemediationKind.Reboot, ApprovalPolicy.For(RemediationKind.Reboot))
    { Notes = ["The running configuration is saved first.", "The device is down for about 4 minutes while it boots."] };

    public static StepResult Step(string id, StepStatus status, string finding, string[] evidence, string[]? commands = null, string? raw = null) =>
        new(id, Runbook.First(s => s.Id == id).Title, status, finding, evidence, raw ?? string.Join('\n', evidence), TimeSpan.FromMilliseconds(420), 1)
        { Commands = commands ?? [] };

    public static IReadOnlyList<StepResult> SeedSteps { get; } =
    [
        Step("access", StepStatus.Fail, "22/tcp refused (RST); 64443/tcp open", ["tcp 10.20.12.12:22 -> refused (RST) in 1 ms", "tcp 10.20.12.12:64443 -> open in 1 ms"]),
        Step("gateway", StepStatus.Ok, "ARP entry present and ping answered from gw-agg-01", ["10.20.12.12     5489-98aa-1c12  20  D-0  GE0/0/12  Vlanif20", "5 packet(s) transmitted, 5 packet(s) received, 0.00% packet loss"], ["display arp | include 10.20.12.12", "ping -a 10.20.12.1 10.20.12.12"]),
        Step("routing", StepStatus.Fail, "no default route and no route to 10.99.0.0/24", ["Destinations : 3        Routes : 3", "10.20.12.0/24  Direct  0  0  D  10.20.12.12  Vlanif20"], ["display ip routing-table"]),
        Step("service", StepStatus.Ok, "STelnet server enabled, port 22", ["Stelnet server                          : Enable", "SSH server port                         : 22"], ["display ssh server status"]),
        Step("listener", StepStatus.Fail, "listening on 0.0.0.0:64443, nothing on 0.0.0.0:22 (ghost port)", [" TCPCB     Tid/Soid  Local Add:port      Foreign Add:port    VPNID   State", " 0x3c2a1b  6/1       0.0.0.0:64443       0.0.0.0:0           23553   Listening"], ["display tcp status"]),
        Step("ssh-debug", StepStatus.Warn, "0 SSH debug lines during a refused attempt: rejected at the transport layer", ["(no SSH debug output in 5 s)"], ["terminal monitor", "terminal debugging", "debugging ssh server all", "undo debugging all"]),
        Step("hardening", StepStatus.Ok, "RSA key present, vty protocol inbound ssh, telnet off", ["user-interface vty 0 4", " authentication-mode aaa", " protocol inbound ssh"], ["display rsa local-key-pair public", "display current-configuration | section ssh"]),
    ];

    public static DiagnosisReport SeedReport { get; } = new(
        Device, T0, TimeSpan.FromSeconds(9.4), SeedSteps,
        [
            new RootCauseFinding(SshUnreachableCauses.ReturnRouteMissing, "no-default-route", Confidence.High, ["routing: no 0.0.0.0/0 and no route to 10.99.0.0/24"]),
            new RootCauseFinding(SshUnreachableCauses.ListenerStuck, "listener-on-unexpected-port", Confidence.High, ["service: SSH server port 22", "listener: 0.0.0.0:64443 Listening, 0.0.0.0:22 absent", "access: 22/tcp refused (RST), 64443/tcp open"]),
        ],
        [RouteFix, PortFix, Reboot]);

    public static DiagnosisReport HealthyReport { get; } = SeedReport with
    {
        Steps = SeedSteps.Select(s => s with { Status = StepStatus.Ok, Finding = s.StepId + " looks healthy" }).ToList(),
        RootCauses = [new RootCauseFinding(SshUnreachableCauses.Healthy, "all-checks-pass", Confidence.High, ["0.0.0.0:22 Listening", "default route via 10.20.12.1"])],
        Remediations = [],
    };

    public static DiagnosisCardView Fresh() => DiagnosisCardViewBuilder.Start(Incident, "sw-access-12", "alice", T0, Runbook, Links);

    public static DiagnosisCardView MidRun() => DiagnosisCardViewBuilder.ApplyAll(Fresh(),
    [
        new StepStarted("access", T0.AddSeconds(0.1)),
        new StepFinished(SeedSteps[0], T0.AddSeconds(0.6)),
        new StepStarted("gateway", T0.AddSeconds(0.6)),
        new StepStarted("routing", T0.AddSeconds(0.7)),
        new StepFinished(SeedSteps[2], T0.AddSeconds(1.5)),
        new StepStarted("service", T0.AddSeconds(1.5)),
    ]);

    public static DiagnosisCardView SeedFinal() => DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, Incident, "alice", SeedReport, "n-verdict-1", Links);

    public static DiagnosisCardView Healthy() => DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, Incident, "alice", HealthyReport, "n-verdict-1", Links);

    public static DiagnosisCardView ApprovalPending() => DiagnosisCardViewBuilder.ApplyAll(SeedFinal(),
    [
        new ApprovalRequested("reboot", "alice", "n-approve-7", T0.AddMinutes(2)),
        new ApprovalAdded("reboot", "bob", T0.AddMinutes(3)),
    ]);

    public static DiagnosisCardView Approved() => DiagnosisCardViewBuilder.ApplyAll(ApprovalPending(),
    [
        new ApprovalAdded("reboot", "carol", T0.AddMinutes(4)),
        new ApprovalRequested("route-default", "alice", "n-approve-8", T0.AddMinutes(4)),
        new ApprovalRejected("route-default", "bob", "wrong gateway", T0.AddMinutes(5)),
        new ApprovalRequested("ssh-port-22", "alice", "n-approve-9", T0.AddMinutes(5)),
        new ApprovalAdded("ssh-port-22", "bob", T0.AddMinutes(5)),
        new ExecutionStarted("ssh-port-22", T0.AddMinutes(6)),
        new ExecutionFinished("ssh-port-22", true, "ssh server port 22 applied; still listening on 64443 only", T0.AddMinutes(6)),
    ]);

    public static DiagnosisCardView Interrupted() => DiagnosisCardViewBuilder.Apply(MidRun(), new DiagnosisInterrupted("the bot restarted during the diagnosis", T0.AddSeconds(3)));

    public static DiagnosisCardView NoLinks() => DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, Incident, "alice", SeedReport, "n-verdict-1", CardLinks.None);

    /// <summary>1 MB of evidence on one step, 1 MB in the verdict, 1 MB of raw output.</summary>
    public static DiagnosisCardView Enormous(CardLinks? links = null)
    {
        var big = Enumerable.Range(0, 16_000).Select(i => $" 0x{i:x6}  6/1  0.0.0.0:{(i % 60000) + 1024,-5}  0.0.0.0:0  23553  Listening  padding-padding").ToArray();
        var bytes = big.Sum(l => l.Length + 1);
        Assert.True(bytes >= 1_000_000, $"fixture must carry 1 MB, has {bytes}");
        var steps = SeedSteps.Select(s => s.StepId == "listener" ? s with { Evidence = big, RawOutput = string.Join('\n', big) } : s).ToList();
        var report = SeedReport with
        {
            Steps = steps,
            RootCauses = [.. SeedReport.RootCauses, new RootCauseFinding(SshUnreachableCauses.ListenerStuck, "huge", Confidence.Low, big)],
        };
        return DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, Incident, "alice", report, "n-verdict-1", links ?? Links);
    }

    /// <summary>Device output that tries mentions, hidden links, markdown and terminal escapes.</summary>
    public static DiagnosisCardView Hostile()
    {
        var evil = new[] { "<!channel> <!here> <@U012ABC>", "<http://evil.example|click me>", "[totally safe](http://evil.example)", "```closing fence", "\u001b[31mred\u001b[0m & done", "<at>NetOpsBot</at>" };
        var steps = SeedSteps.Select(s => s.StepId == "routing" ? s with { Finding = "<!channel> see <http://evil.example|x> and [y](http://evil.example)", Evidence = evil } : s).ToList();
        return DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, Incident, "<@U999|alice>", SeedReport with { Steps = steps }, "n-verdict-1", Links);
    }

    /// <summary>Everything a view can have too much of: 60 steps, 30 offers, long titles, long findings and 40 KB of evidence each.</summary>
    public static DiagnosisCardView Oversized()
    {
        var evidence = Enumerable.Range(0, 1000).Select(i => new string('x', 30) + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var view = DiagnosisCardViewBuilder.Start(Incident, "sw-access-12", "alice", T0,
            Enumerable.Range(0, 60).Select(i => new StepDescriptor($"step-{i}", new string('T', 400))).ToList(), Links);
        var longText = new StringBuilder().Insert(0, "finding ", 800).ToString();
        var plans = Enumerable.Range(0, 30).Select(i => Reboot with { Id = new string('p', 300) + i.ToString(System.Globalization.CultureInfo.InvariantCulture), Title = new string('R', 500) }).ToList();
        var report = SeedReport with
        {
            Steps = view.Steps.Select(s => new StepResult(s.Id, s.Title, StepStatus.Fail, longText, evidence, "raw", TimeSpan.FromSeconds(1), 1) { Commands = Enumerable.Repeat("display " + new string('c', 600), 30).ToArray() }).ToList(),
            Remediations = plans,
        };
        return DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, Incident, "alice", report, new string('n', 1500), Links);
    }

    public static IReadOnlyList<(string Name, DiagnosisCardView View)> All() =>
    [
        ("fresh", Fresh()),
        ("mid-run", MidRun()),
        ("seed-final", SeedFinal()),
        ("healthy", Healthy()),
        ("approval-pending", ApprovalPending()),
        ("approved", Approved()),
        ("interrupted", Interrupted()),
        ("no-links", NoLinks()),
        ("enormous", Enormous()),
        ("enormous-no-links", Enormous(CardLinks.None)),
        ("hostile", Hostile()),
        ("oversized", Oversized()),
        ("resolved", Resolved()),
        ("resolved-no-links", Resolved(CardLinks.None)),
    ];

    /// <summary>
    /// The reference case's card at the end: initial run, the route fix (bob), the re-diagnosis, the reboot (bob, carol),
    /// the healthy final check, and the headline on top.
    /// </summary>
    public static DiagnosisCardView Resolved(CardLinks? links = null)
    {
        var view = DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, Incident, "alice", SeedReport, "n-verdict-1", links ?? Links);
        var listenerOnly = SeedReport with { RootCauses = [SeedReport.RootCauses[1]], Remediations = [PortFix, Reboot] };
        IEnumerable<DiagnosisCardEvent> Run(string title, DiagnosisReport report, int minute) =>
            [
                new RunStarted(title, T0.AddMinutes(minute)),
                .. report.Steps.Select(s => new StepFinished(s, T0.AddMinutes(minute).AddSeconds(5))),
                new VerdictReached(report, SshRunbook, $"n-verdict-{minute}", T0.AddMinutes(minute).AddSeconds(10)),
            ];
        return DiagnosisCardViewBuilder.ApplyAll(view,
        [
            new ApprovalRequested(RouteFix.Id, "alice", "n-approve-1", T0.AddMinutes(1)) { RequestId = "REQ-1" },
            new ApprovalAdded(RouteFix.Id, "bob", T0.AddMinutes(1)),
            new ExecutionStarted(RouteFix.Id, T0.AddMinutes(1)),
            new ExecutionFinished(RouteFix.Id, true, "route added", T0.AddMinutes(1)),
            .. Run("After Add a default route via 10.20.12.1 (REQ-1)", listenerOnly, 2),
            new ApprovalRequested(Reboot.Id, "alice", "n-approve-3", T0.AddMinutes(3)) { RequestId = "REQ-3" },
            new ApprovalAdded(Reboot.Id, "bob", T0.AddMinutes(3)),
            new ApprovalAdded(Reboot.Id, "carol", T0.AddMinutes(3)),
            .. Run("Re-check before Save and reboot (REQ-3)", listenerOnly, 3),
            .. Run("After Save and reboot (REQ-3)", HealthyReport, 4),
            new IncidentResolved("Resolved in 4 min 51 s: listener stuck on 64443 and no return route; fixed by default route (bob) and reboot (bob, carol)", T0.AddMinutes(5)),
        ]);
    }
}
