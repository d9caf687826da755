namespace NetOpsBot.Core.Approvals;

/// <summary>
/// One person of the approver directory, bound by the host from <c>NetOps:People:{id}</c>: the accounts that
/// are theirs on each platform, and whether they approve. An account listed nowhere here belongs to nobody and
/// cannot approve, whatever list or group it is in.
/// </summary>
public sealed class PersonOptions
{
    public const string SectionName = "NetOps:People";

    /// <summary>Shown in approvals and refusals. <value>Default: the person's id.</value></summary>
    public string? DisplayName { get; set; }

    /// <summary>
    /// May approve remediations. A person is also an approver when one of their accounts is in
    /// <c>NetOps:Approvals:Approvers</c>, <c>Slack:Approvers</c> or a configured Entra/Slack approver group.
    /// </summary>
    /// <value>Default: false.</value>
    public bool Approver { get; set; }

    /// <summary>Entra object ids (GUIDs) of their Teams accounts.</summary>
    public List<string> Teams { get; set; } = [];

    /// <summary>
    /// Slack user ids (<c>U…</c>/<c>W…</c>) in the workspace of <c>Slack:TeamId</c> (requests from any other
    /// workspace are refused before they get here).
    /// </summary>
    public List<string> Slack { get; set; } = [];

    /// <summary>Web chat subjects (the signed-in user's <c>sub</c>, or a demo user name).</summary>
    public List<string> WebChat { get; set; } = [];

    /// <summary>(platform key, user id) of every account listed; platform keys are those of <see cref="Incidents.ChatUser.Platform"/>.</summary>
    public IEnumerable<(string Platform, string UserId)> Accounts() =>
        (Teams ?? []).Select(id => ("teams", id))
            .Concat((Slack ?? []).Select(id => ("slack", id)))
            .Concat((WebChat ?? []).Select(id => ("webchat", id)));
}
