using System.Text.Json;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Tests.Incidents;

/// <summary>
/// The reference case as a stored timeline: initial run (listener stuck on 64443, no return route), the default
/// route (bob), `ssh server port 22` (applied, not effective), the reboot (bob, carol) with its re-check, the healthy
/// re-diagnosis, resolved 4 min 51 s after the request. <see cref="Legacy"/> writes every row exactly as today's
/// producers did before typed events (anonymous JSON, "type" notes, null data); <see cref="Typed"/> as they do now.
/// </summary>
internal static class ReferenceCaseTimeline
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 6, 1, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static Incident Incident { get; } = new Incident(
        IncidentId.New(), DeviceName.Parse("sw-access-12"), new ChatUser("webchat", "alice", "Alice"), new ChatChannel("webchat", "room", null), IncidentState.Resolved, T0, T0);

    private static readonly VerdictCause Listener = new("listener-stuck", "SSH listener stuck on another port", "ghost port", "listener.ghost-port", "High", ["0.0.0.0:64443  Listening", "0 SSH debug lines during the attempt"]);
    private static readonly VerdictCause Route = new("return-route-missing", "No route back to the management subnet", "no route", "routing.no-return-route", "High", ["no default route", "10.12.0.0/24 direct only"]);
    private static readonly VerdictCause Healthy = new("healthy", "Healthy", "all good", "healthy", "High", []);
    private static readonly VerdictPlan RoutePlan = new("return-route-missing.default-route", "return-route-missing", "Add a default route via 10.12.0.1", "Config", ["system-view", "ip route-static 0.0.0.0 0.0.0.0 10.12.0.1", "return"], true, 1, []);
    private static readonly VerdictPlan PortPlan = new("listener-stuck.ssh-server-port", "listener-stuck", "Re-apply ssh server port 22", "Config", ["system-view", "ssh server port 22", "return"], true, 1, []);
    private static readonly VerdictPlan RebootPlan = new("listener-stuck.reboot", "listener-stuck", "Save and reboot to flush the stuck listener", "Reboot", ["save", "reboot"], true, 2, []);

    public static IReadOnlyList<TimelineEvent> Legacy() => Build(legacy: true);

    public static IReadOnlyList<TimelineEvent> Typed() => Build(legacy: false);

    private static List<TimelineEvent> Build(bool legacy)
    {
        var rows = new List<TimelineEvent>();
        void Add(int second, TimelineEventKind kind, string actor, string summary, object? legacyData, IncidentEvent typed)
        {
            var data = legacy ? (legacyData is null ? null : legacyData as string ?? JsonSerializer.Serialize(legacyData, Web)) : IncidentEvents.Serialize(typed);
            Assert.Equal(kind, typed.StoredAs);
            rows.Add(new TimelineEvent(Incident.Id, rows.Count + 1, T0.AddSeconds(second), kind, actor, summary, data));
        }

        void Run(int second, bool listenerStuck, bool routeMissing)
        {
            var steps = new[]
            {
                new StepData("ssh-server", "SSH server", "Ok", "STELNET IPv4 server Enable", ["STELNET IPv4 server  :Enable"], ["display ssh server status"], "STELNET IPv4 server  :Enable", 120),
                listenerStuck
                    ? new StepData("listener", "TCP listeners", "Fail", "Nothing listens on port 22; listener on unexpected port 64443 (ghost port)", ["0.0.0.0:64443  Listening"], ["display tcp status"], "TCPCB ... 0.0.0.0:64443 Listening", 200)
                    : new StepData("listener", "TCP listeners", "Ok", "Listening on port 22", ["0.0.0.0:22  Listening"], ["display tcp status"], "TCPCB ... 0.0.0.0:22 Listening", 200),
                routeMissing
                    ? new StepData("routing", "Routing table", "Fail", "No default route and no route to 10.99.0.0/24", ["10.12.0.0/24 Direct"], ["display ip routing-table"], "Destinations : 2", 150)
                    : new StepData("routing", "Routing table", "Ok", "Default route via 10.12.0.1", ["0.0.0.0/0 Static 10.12.0.1"], ["display ip routing-table"], "Destinations : 3", 150),
            };
            var at = second;
            foreach (var s in steps)
            {
                Add(at, TimelineEventKind.StepStarted, "netopsbot", $"{s.Title}: started", new { stepId = s.StepId, title = s.Title }, new StepStartedEvent(s.StepId, s.Title));
                Add(at + 1, TimelineEventKind.StepFinished, "netopsbot", $"{s.Title}: {s.Status} - {s.Finding}", s,
                    new StepFinishedEvent(s.StepId, s.Title, s.Status, s.Finding, s.Evidence, s.Commands, s.RawOutput, s.DurationMs));
                at += 2;
            }

            var causes = new List<VerdictCause>();
            var plans = new List<VerdictPlan>();
            if (listenerStuck)
            {
                causes.Add(Listener);
                plans.Add(PortPlan);
                plans.Add(RebootPlan);
            }

            if (routeMissing)
            {
                causes.Add(Route);
                plans.Insert(0, RoutePlan);
            }

            if (causes.Count == 0)
            {
                causes.Add(Healthy);
            }

            Add(at, TimelineEventKind.Verdict, "netopsbot", "Verdict: " + string.Join(" + ", causes.Select(c => c.Code)), new VerdictData(causes, plans), new VerdictEvent(causes, plans));
            foreach (var p in plans)
            {
                Add(at, TimelineEventKind.RemediationOffered, "netopsbot", $"Offered: {p.Title}", new { p.Id, p.Title, kind = p.Kind, commands = p.Commands }, new FixOfferedEvent(p.Id, p.Title, p.Kind, p.Commands));
            }
        }

        void Rerun(int second, string reason, string requestId) =>
            Add(second, TimelineEventKind.Note, "netopsbot", "Re-running the diagnosis on sw-access-12", null, new RediagnosisStartedEvent("sw-access-12", reason, requestId));

        void Request(int second, string id, VerdictPlan plan) =>
            Add(second, TimelineEventKind.Note, "Alice (webchat:alice)", $"Alice requested {id}: {plan.Title}",
                new { type = "remediation-requested", requestId = id, planId = plan.Id, requester = "Alice", commands = plan.Commands, notes = Array.Empty<string>() },
                new FixRequestedEvent(id, plan.Id, "Alice", plan.Commands, []));

        void Approve(int second, string id, VerdictPlan plan, string who, bool complete) =>
            Add(second, TimelineEventKind.ApprovalGranted, $"{who} (webchat:{who})", $"{who} approved {id}",
                new { type = "click", requestId = id, planId = plan.Id, outcome = complete ? "ApprovedComplete" : "Accepted", approver = who },
                new ApprovalEvent(id, plan.Id, who, complete));

        void Execute(int second, string id, VerdictPlan plan, bool verified, string evidence)
        {
            Add(second, TimelineEventKind.ActionStarted, "netopsbot", $"Running {id} on sw-access-12: {string.Join("; ", plan.Commands)}",
                new { planId = plan.Id, requestId = id, commands = plan.Commands }, new ExecutionStartedEvent(plan.Id, id, plan.Commands));
            var command = plan.Commands.Count > 1 ? plan.Commands[1] : plan.Commands[0];
            Add(second + 1, TimelineEventKind.Note, "netopsbot", $"Ran `{command}` (0.2 s)",
                new { command, output = "<sw-access-12>", error = (string?)null, durationMs = 200 },
                new ExecutionProgressEvent { Command = command, Output = "<sw-access-12>", DurationMs = 200 });
            var sent = plan.Commands.Select(c => new NetOpsBot.Core.Remediation.ExecutedCommand(c, "ok", null, TimeSpan.FromMilliseconds(200))).ToList();
            Add(second + 2, TimelineEventKind.ActionFinished, "netopsbot", $"Done: {plan.Title}",
                new { planId = plan.Id, succeeded = true, Verified = verified, VerificationEvidence = evidence, commands = sent },
                new ExecutionFinishedEvent(plan.Id, id, true, verified, evidence, sent.Select(ExecutedCommandRecord.From).ToList()));
        }

        Add(0, TimelineEventKind.Requested, "Alice (webchat:alice)", "Alice asked to diagnose SSH on sw-access-12", null, new DiagnosisRequestedEvent("sw-access-12", "Alice"));
        Run(2, listenerStuck: true, routeMissing: true); // verdict at 8 s
        Request(40, "REQ-1", RoutePlan);
        Approve(60, "REQ-1", RoutePlan, "bob", complete: true);
        Execute(61, "REQ-1", RoutePlan, true, "0.0.0.0/0 Static 10.12.0.1");
        Rerun(64, RediagnosisStartedEvent.AfterFix, "REQ-1");
        Run(65, listenerStuck: true, routeMissing: false);
        Add(72, TimelineEventKind.Note, "netopsbot", "Still open: listener-stuck", null, new ResolutionEvent(ResolutionEvent.StillOpen, ["listener-stuck"]));
        Request(90, "REQ-2", PortPlan);
        Approve(100, "REQ-2", PortPlan, "bob", complete: true);
        Execute(101, "REQ-2", PortPlan, true, "ssh server port 22 in the configuration");
        Rerun(104, RediagnosisStartedEvent.AfterFix, "REQ-2");
        Run(105, listenerStuck: true, routeMissing: false);
        Add(112, TimelineEventKind.Note, "netopsbot", "Still open: listener-stuck", null, new ResolutionEvent(ResolutionEvent.StillOpen, ["listener-stuck"]));
        Request(130, "REQ-3", RebootPlan);
        Approve(140, "REQ-3", RebootPlan, "bob", complete: false);
        Add(145, TimelineEventKind.Note, "bob (webchat:bob)", "bob already approved REQ-3: counts once",
            new { type = "click", requestId = "REQ-3", planId = RebootPlan.Id, outcome = "RefusedDuplicate", approver = "bob" },
            new ClickRefusedEvent("REQ-3", RebootPlan.Id, "bob", "RefusedDuplicate"));
        Approve(150, "REQ-3", RebootPlan, "carol", complete: true);
        Rerun(151, RediagnosisStartedEvent.Recheck, "REQ-3");
        Run(152, listenerStuck: true, routeMissing: false);
        Execute(161, "REQ-3", RebootPlan, true, "reboot sent");
        var recovery = new NetOpsBot.Core.Remediation.RecoveryResult(true, true, TimeSpan.FromSeconds(90), true, true, "sw-access-12 is back after 1 min 30 s; 0.0.0.0:22 Listening; SSH login works");
        Add(260, TimelineEventKind.Recovery, "netopsbot", recovery.Summary, recovery, RecoveryEvent.From(recovery));
        Rerun(261, RediagnosisStartedEvent.AfterFix, "REQ-3");
        Run(262, listenerStuck: false, routeMissing: false);
        Add(291, TimelineEventKind.Note, "netopsbot", "sw-access-12 is healthy again: incident resolved", null, new ResolutionEvent(ResolutionEvent.Resolved, []));
        return rows;
    }
}
