namespace NetOpsBot.Core.Approvals;

/// <summary>
/// The one place a card click becomes a decision, for every chat surface: a surface parses the click, authenticates
/// the clicker and shows the <see cref="ActionReply"/> (the channel part is already on the timeline; the clicker
/// part goes to the clicker alone). Authorisation stays where it was: the requester, approver and two-person checks
/// run in <see cref="RemediationService"/> and <see cref="ApprovalStateMachine"/> at click time.
/// </summary>
public sealed class IncidentActions(RemediationService remediation)
{
    public async Task<ActionReply> HandleAsync(IncidentClick click, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(click);
        return click.Verb switch
        {
            IncidentVerb.Request => await remediation.RequestAsync(click.IncidentId, click.PlanId, click.Target, click.Clicker, click.Channel, cancellationToken).ConfigureAwait(false),
            IncidentVerb.Approve => await Decide(ClickVerb.Approve).ConfigureAwait(false),
            IncidentVerb.Reject => await Decide(ClickVerb.Reject).ConfigureAwait(false),
            IncidentVerb.Withdraw => await Decide(ClickVerb.Withdraw).ConfigureAwait(false),
            _ => ActionReply.Refused("That button is not a NetOpsBot action."),
        };

        Task<ActionReply> Decide(ClickVerb verb) =>
            remediation.ClickAsync(click.IncidentId, click.PlanId, click.Target, verb, click.Clicker, click.Channel, cancellationToken);
    }
}
