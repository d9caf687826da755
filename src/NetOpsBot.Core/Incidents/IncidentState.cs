namespace NetOpsBot.Core.Incidents;

/// <summary>Lifecycle of an incident. The names are persisted as text: never rename one.</summary>
public enum IncidentState
{
    /// <summary>Recorded, diagnosis not started yet.</summary>
    Open,

    /// <summary>A host instance is running the diagnosis (it holds the lease).</summary>
    Running,

    /// <summary>Diagnosis finished with a verdict; nothing offered that needs a decision.</summary>
    Diagnosed,

    /// <summary>A remediation was requested and waits for approvals.</summary>
    AwaitingApproval,

    /// <summary>A host instance is executing a remediation or watching the recovery (it holds the lease).</summary>
    Remediating,

    /// <summary>Closed: the re-diagnosis was healthy, or someone closed it.</summary>
    Resolved,

    /// <summary>The host that owned the work died or restarted; the work did not finish.</summary>
    Interrupted,

    /// <summary>The work ended with an error.</summary>
    Failed,
}
