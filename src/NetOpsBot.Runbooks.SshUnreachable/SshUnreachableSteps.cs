using NetOpsBot.Core.Diagnosis;

namespace NetOpsBot.Runbooks.SshUnreachable;

/// <summary>Stable step ids of the <c>ssh-unreachable</c> runbook (DESIGN.md §2), in display order.</summary>
public static class SshUnreachableSteps
{
    public const string Access = "access";
    public const string Gateway = "gateway";
    public const string Routing = "routing";
    public const string Service = "service";
    public const string Listener = "listener";
    public const string SshDebug = "ssh-debug";
    public const string Hardening = "hardening";
    public const string Verdict = "verdict";

    public static IReadOnlyList<StepDescriptor> All { get; } =
    [
        new(Access, "Access (TCP probe, access path)"),
        new(Gateway, "L2/L3 from the gateway"),
        new(Routing, "Route back to the management subnet"),
        new(Service, "SSH server status"),
        new(Listener, "TCP listeners"),
        new(SshDebug, "SSH debug during a connection attempt"),
        new(Hardening, "RSA key, VTY and ACL configuration"),
        new(Verdict, "Verdict"),
    ];

    public static string TitleOf(string id) => All.First(s => s.Id == id).Title;
}
