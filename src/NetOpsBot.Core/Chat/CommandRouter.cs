using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Core.Chat;

/// <summary>A chat message as every surface hands it over; <see cref="RequestId"/> is the platform's delivery id.</summary>
public sealed record ChatRequest(ChatUser User, ChatChannel Channel, string Text, string RequestId);

/// <summary>The immediate answer in the channel; the diagnosis itself continues on the incident's card.</summary>
public sealed record ChatReply(string Text, bool Accepted, Incident? Incident = null, IReadOnlyList<TimelineEvent>? Timeline = null)
{
    /// <summary>The request joined <see cref="Incident"/>, already open on the device, instead of opening another.</summary>
    public bool Joined { get; init; }
}

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

    private readonly TimeProvider _time;
    private readonly RunbookRegistry _runbooks;
    private readonly Func<Incident, string?>? _incidentLink;

    /// <param name="incidentLink">Where a person finds an incident's card (a URL); null: the answer names the command that shows it.</param>
    public CommandRouter(IncidentService incidents, IDeviceInventory inventory, IIncidentStore store, IChatAuthorizer authorizer, RateLimiter perUser, RateLimiter perChannel, TimeProvider? time = null, Func<Incident, string?>? incidentLink = null)
    {
        _time = time ?? TimeProvider.System;
        _incidentLink = incidentLink;
        _incidents = incidents;
        _inventory = inventory;
        _store = store;
        _authorizer = authorizer;
        _perUser = perUser;
        _perChannel = perChannel;
        ArgumentNullException.ThrowIfNull(incidents);
        _runbooks = incidents.Runbooks ?? throw new ArgumentException("the incident service needs a runbook registry: chat commands are its runbooks' command words", nameof(incidents));
    }

    /// <summary>The runbooks whose command words this router answers.</summary>
    public RunbookRegistry Runbooks => _runbooks;

    public async Task<ChatReply> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = ChatCommandParser.Parse(request.Text, _runbooks);
        switch (command)
        {
            case ChatCommand.Invalid invalid:
                return new ChatReply(invalid.Reason, Accepted: false);
            case ChatCommand.Help:
                return new ChatReply(ChatCommandParser.HelpText(_runbooks), Accepted: true);
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
                return new ChatReply(IncidentDigest.Show(IncidentStory.Build(incident, timeline, _runbooks.FindOrDefault(incident.RunbookId)), timeline, _time.GetUtcNow()), Accepted: true, incident, timeline);
            case ChatCommand.History history:
                return await HistoryAsync(request, history.Device, cancellationToken).ConfigureAwait(false);
            case ChatCommand.Diagnose diagnose:
                return await DiagnoseAsync(request, diagnose.Device, diagnose.RunbookId, cancellationToken).ConfigureAwait(false);
            default:
                return new ChatReply($"Unknown command. Try `{_runbooks.Default.Command} help`.", Accepted: false);
        }
    }

    private static bool SameConversation(ChatChannel incident, ChatChannel asking) =>
        string.Equals(incident.Platform, asking.Platform, StringComparison.Ordinal) && string.Equals(incident.ChannelId, asking.ChannelId, StringComparison.Ordinal);

    /// <summary>How many incidents of a device <c>/sshdiag history</c> lists.</summary>
    public const int HistoryLength = 5;

    private async Task<ChatReply> HistoryAsync(ChatRequest request, DeviceName typed, CancellationToken cancellationToken)
    {
        var found = await DeviceLookup.FindAsync(_inventory, typed, cancellationToken).ConfigureAwait(false);
        if (found.Device is not { } device)
        {
            return new ChatReply(NotFound(typed, found), Accepted: false);
        }

        // Only this conversation's incidents, as for `incident <id>`: another team's evidence stays with that team.
        var mine = (await _store.ListForDeviceAsync(device.Name, 50, cancellationToken).ConfigureAwait(false))
            .Where(i => SameConversation(i.Channel, request.Channel))
            .Take(HistoryLength)
            .ToList();
        if (mine.Count == 0)
        {
            return new ChatReply($"No incidents of {device.Name.Value} in this conversation.", Accepted: true);
        }

        var now = _time.GetUtcNow();
        var text = new System.Text.StringBuilder($"Recent incidents of {device.Name.Value} (newest first):");
        foreach (var incident in mine)
        {
            var timeline = await _store.TimelineAsync(incident.Id, 0, cancellationToken).ConfigureAwait(false);
            text.Append("\n- ").Append(IncidentDigest.HistoryLine(IncidentStory.Build(incident, timeline, _runbooks.FindOrDefault(incident.RunbookId)), now));
        }

        return new ChatReply(text.ToString(), Accepted: true);
    }

    private static string NotFound(DeviceName typed, DeviceLookupResult found) =>
        found.DidYouMean is { } suggestion
            ? $"Unknown device `{typed.Value}`: it is not in the inventory. Did you mean {suggestion.Value}?"
            : $"Unknown device `{typed.Value}`: it is not in the inventory (by name or management IP).";

    private async Task<ChatReply> DiagnoseAsync(ChatRequest request, DeviceName deviceName, string? runbookId, CancellationToken cancellationToken)
    {
        if (!_authorizer.CanDiagnose(request.User, request.Channel))
        {
            return new ChatReply($"{request.User.DisplayName}, you are not allowed to run diagnostics in this channel.", Accepted: false);
        }

        if (!_perUser.TryAcquire(request.User.Platform + ":" + request.User.UserId, out var userWait))
        {
            return new ChatReply($"Too many requests from {request.User.DisplayName}; try again in {Math.Ceiling(userWait.TotalSeconds)} s.", Accepted: false);
        }

        var found = await DeviceLookup.FindAsync(_inventory, deviceName, cancellationToken).ConfigureAwait(false);
        if (found.Device is not { } device)
        {
            return new ChatReply(NotFound(deviceName, found), Accepted: false);
        }

        // An open incident of the device in this conversation is joined, not duplicated: everyone asking here lands on
        // the same card. One open in another conversation is not shown here (not even its id), and does not stop this
        // conversation from getting its own diagnosis once no diagnosis of the device is running; the two incidents'
        // fixes are kept apart by the stale-request checks (a fix run through one cancels the other's requests).
        var recent = await _store.ListForDeviceAsync(device.Name, 20, cancellationToken).ConfigureAwait(false);
        if (recent.FirstOrDefault(i => IncidentDigest.IsOpen(i.State) && SameConversation(i.Channel, request.Channel)) is { } open)
        {
            return Join(request, open);
        }

        if (!_perChannel.TryAcquire(request.Channel.Platform + ":" + request.Channel.ChannelId, out var channelWait))
        {
            return new ChatReply($"This channel has too many diagnoses running; try again in {Math.Ceiling(channelWait.TotalSeconds)} s.", Accepted: false);
        }

        // Everyone who asks before an incident opens shares one key (the device and its newest incident so far), so the
        // store's unique idempotency key lets exactly one create it, across replicas; the others get it back and join.
        var key = "open:" + ConversationKey(request.Channel) + ":" + device.Name.Value + ":" + (recent.Count > 0 ? recent[0].Id.Value : "none");
        IncidentCreation creation;
        try
        {
            creation = await _incidents.StartDiagnosisAsync(device, runbookId, request.User, request.Channel, key, origin: null, cancellationToken).ConfigureAwait(false);
        }
        catch (DiagnosisLimitException limit)
        {
            // Only an open incident is joined: a run that has just resolved its incident still holds the device's
            // admission for a moment, and joining it would point people at a closed incident.
            if (limit.Running is { } running && await _store.GetAsync(running, cancellationToken).ConfigureAwait(false) is { } runningIncident
                && IncidentDigest.IsOpen(runningIncident.State))
            {
                return Join(request, runningIncident);
            }

            return new ChatReply(limit.Message, Accepted: false);
        }

        return creation.Created
            ? new ChatReply($"Diagnosing SSH on {device.Name.Value} - incident {creation.Incident.Id.Value}.", Accepted: true, creation.Incident)
            : Join(request, creation.Incident);
    }

    /// <summary>A short, fixed-length name of the conversation for the idempotency key (channel ids can be long).</summary>
    private static string ConversationKey(ChatChannel channel) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(channel.Platform + "\n" + channel.ChannelId)))[..16];

    private ChatReply Join(ChatRequest request, Incident open)
    {
        // The incident lives in another conversation: no duplicate either, and nothing of it (not even its id) is shown
        // here, as for `incident <id>` from elsewhere.
        if (!SameConversation(open.Channel, request.Channel))
        {
            return new ChatReply($"{open.Device.Value} already has an open incident in another conversation; it is handled there.", Accepted: false);
        }

        return new ChatReply(IncidentDigest.Joined(open, _time.GetUtcNow(), _incidentLink?.Invoke(open), (_runbooks.Find(open.RunbookId) ?? _runbooks.Default).Command), Accepted: true, open) { Joined = true };
    }
}
