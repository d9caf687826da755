namespace NetOpsBot.Core.Remediation;

public enum RemediationKind
{
    /// <summary>No device command: a check or review for a human (console, on-site, security).</summary>
    Manual,

    /// <summary>Configuration change.</summary>
    Config,

    /// <summary>Device reboot: disruptive, two-person rule.</summary>
    Reboot,
}
