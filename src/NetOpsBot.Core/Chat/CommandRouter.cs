using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Chat;

/// <summary>A chat message as every surface hands it over; <see cref="RequestId"/> is the platform's delivery id.</summary>
public sealed record ChatRequest(ChatUser User, ChatChannel Channel, string Text, string RequestId);

/// <summary>The immediate answer in the channel; the diagnosis itself continues on the incident's card.</summary>
public sealed record ChatReply(string Text, bool Accepted, Incident? Incident = null, IReadOnlyList<TimelineEvent>? Timeline = null);

/// <summary>Who may run diagnostics where. Surfaces map their own identities onto ChatUser/ChatChannel first.</summary>
public interface IChatAuthorizer
{
    bool CanDiagnose(ChatUser user, ChatChannel channel);
}

/// <summary>
/// Channel-neutral: parse, authorize, rate-limit, deduplicate, then hand over to the incident
/// service. Nothing typed in chat reaches a device: only a validated <see cref="DeviceName"/> that
/// exists in the inventory gets past here.
/// </summary>
public sealed class CommandRouter
{
    private readonly IncidentService _incidents;
    private readonly IDeviceInventory _inventory;
    private readonly IIncidentStore _store;
    private readonly IChatAuthorizer _authorizer;
    private readonly RateLimiter _perUser;
    private readonly RateLimiter _perChannel;

    public CommandRouter(IncidentService incidents, IDeviceInventory inventory, IIncidentStore store, IChatAuthorizer authorizer, RateLimiter perUser, RateLimiter perChannel)
    {
        _incidents = incidents;
        _inventory = inventory;
        _store = store;
        _authorizer = authorizer;
        _perUser = perUser;
        _perChannel = perChannel;
    }

    public async Task<ChatReply> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = ChatCommandParser.Parse(request.Text);
        switch (command)
        {
            case ChatCommand.Invalid invalid:
                return new ChatReply(invalid.Reason, Accepted: false);
            case ChatCommand.Help:
                return new ChatReply(ChatCommandParser.HelpText, Accepted: true);
            case ChatCommand.ShowIncident show:
                var incident = await _store.GetAsync(show.Incident, cancellationToken).ConfigureAwait(false);

                // An incident is shown only where it lives: a channel of another team or another platform must not
                // read its device, evidence and approvers by guessing ids. Same answer as an unknown id, so existence
                // does not leak either.
                if (incident is null || !SameConversation(incident.Channel, request.Channel))
                {
                    return new ChatReply($"No incident {show.Incident.Value}.", Accepted: false);
                }

                var timeline = await _store.TimelineAsync(incident.Id, 0, cancellationToken).ConfigureAwait(false);
                return new ChatReply($"{incident.Id.Value} on {incident.Device.Value}: {incident.State}.", Accepted: true, incident, timeline);
            case ChatCommand.Diagnose diagnose:
                return await DiagnoseAsync(request, diagnose.Device, cancellationToken).ConfigureAwait(false);
            default:
                return new ChatReply("Unknown command. Try `/sshdiag help`.", Accepted: false);
        }
    }

    private static bool SameConversation(ChatChannel incident, ChatChannel asking) =>
        string.Equals(incident.Platform, asking.Platform, StringComparison.Ordinal) && string.Equals(incident.ChannelId, asking.ChannelId, StringComparison.Ordinal);

    private async Task<ChatReply> DiagnoseAsync(ChatRequest request, DeviceName deviceName, CancellationToken cancellationToken)
    {
        if (!_authorizer.CanDiagnose(request.User, request.Channel))
        {
            return new ChatReply($"{request.User.DisplayName}, you are not allowed to run diagnostics in this channel.", Accepted: false);
        }

        if (!_perUser.TryAcquire(request.User.Platform + ":" + request.User.UserId, out var userWait))
        {
            return new ChatReply($"Too many requests from {request.User.DisplayName}; try again in {Math.Ceiling(userWait.TotalSeconds)} s.", Accepted: false);
        }

        if (!_perChannel.TryAcquire(request.Channel.Platform + ":" + request.Channel.ChannelId, out var channelWait))
        {
            return new ChatReply($"This channel has too many diagnoses running; try again in {Math.Ceiling(channelWait.TotalSeconds)} s.", Accepted: false);
        }

        var device = await _inventory.FindAsync(deviceName, cancellationToken).ConfigureAwait(false);
        if (device is null)
        {
            return new ChatReply($"Unknown device `{deviceName.Value}`: it is not in the inventory.", Accepted: false);
        }

        IncidentCreation creation;
        try
        {
            creation = await _incidents.StartDiagnosisAsync(device, request.User, request.Channel, request.User.Platform + ":" + request.RequestId, cancellationToken).ConfigureAwait(false);
        }
        catch (DiagnosisLimitException limit)
        {
            return new ChatReply(limit.Message, Accepted: false);
        }

        var text = creation.Created
            ? $"Diagnosing SSH on {device.Name.Value} - incident {creation.Incident.Id.Value}."
            : $"Already handled: incident {creation.Incident.Id.Value}.";
        return new ChatReply(text, Accepted: true, creation.Incident);
    }
}
