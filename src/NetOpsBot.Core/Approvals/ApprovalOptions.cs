namespace NetOpsBot.Core.Approvals;

/// <summary>Approval rules that operators tune. Bound from <see cref="SectionName"/> by the host.</summary>
public sealed class ApprovalOptions
{
    public const string SectionName = "NetOps:Approvals";

    /// <summary>How long a request waits for approvals before it expires.</summary>
    /// <value>Default: 15 minutes.</value>
    public TimeSpan RequestLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A diagnosis older than this is re-run before executing; the request is asked again if the evidence changed.</summary>
    /// <value>Default: 10 minutes.</value>
    public TimeSpan MaxDiagnosisAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Distinct approvers (not the requester) a config fix needs. Reboots always need at least two.</summary>
    /// <value>Default: 1.</value>
    public int ConfigApprovers { get; set; } = 1;

    /// <summary>Whether a reboot saves the running configuration first (shown on the approval card).</summary>
    /// <value>Default: true.</value>
    public bool SaveBeforeReboot { get; set; } = true;

    /// <summary>
    /// The approver group: chat platform key (<c>slack</c>, <c>teams</c>, <c>webchat</c>) to user ids. Read at
    /// click time through <see cref="ApproverDirectory"/>, so a removed approver cannot approve pending requests.
    /// </summary>
    /// <value>Default: empty (nobody can approve: fail closed).</value>
    public Dictionary<string, List<string>> Approvers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Problems that must stop start-up, each naming the bad key; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (RequestLifetime <= TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:RequestLifetime must be positive");
        }

        if (MaxDiagnosisAge <= TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:MaxDiagnosisAge must be positive");
        }

        if (ConfigApprovers is < 1 or > 10)
        {
            errors.Add($"{SectionName}:ConfigApprovers must be between 1 and 10");
        }

        foreach (var (platform, ids) in Approvers ?? [])
        {
            if (string.IsNullOrWhiteSpace(platform) || ids is null || ids.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add($"{SectionName}:Approvers:{platform} must list non-empty user ids");
            }
        }

        return errors;
    }
}
