namespace NetOpsBot.Core.Runbooks;

/// <summary>How bad a root cause of a runbook is, so surfaces can rank and colour causes they do not know by name.</summary>
public enum RootCauseSeverity
{
    /// <summary>No fault on the device (the runbook's "healthy").</summary>
    NoFault,

    /// <summary>A configuration or state fault on the device that a remediation can fix.</summary>
    Fault,

    /// <summary>The device is down or cut off: a person has to go and look (power, uplink, console).</summary>
    Outage,

    /// <summary>The bot could not diagnose (its own path is broken); nothing is known about the device.</summary>
    Undiagnosable,

    /// <summary>A possible attack: the run stopped and a person must verify out of band.</summary>
    SecurityEvent,
}
