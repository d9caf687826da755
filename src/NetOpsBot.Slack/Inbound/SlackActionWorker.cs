using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NetOpsBot.Cards;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Slack.Surface;
using NetOpsBot.Slack.WebApi;

namespace NetOpsBot.Slack.Inbound;

/// <summary>
/// After a click is acknowledged: request, approve, reject or withdraw through <see cref="IncidentActions"/> (which
/// checks the approver at click time and counts a double click once), or post a step's full output in the
/// card's thread. What is for the clicker alone (a refusal, a second click) goes with <c>chat.postEphemeral</c>.
/// </summary>
public sealed partial class SlackActionWorker(
    IncidentActions actions,
    StepOutputLookup outputs,
    SlackApiClient api,
    SlackUsers users,
    CardPublisher<SlackCardSink> surface,
    TimeProvider time,
    Core.Runbooks.RunbookRegistry runbooks,
    ILogger<SlackActionWorker> log)
{
    private const int OutputChunkChars = 2_800;
    private const int MaxOutputMessages = 10;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Clicks on one incident are handled one after the other on this replica: a double click on Request
    // must find the first request already stored.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _incidentGates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _outputShown = new(StringComparer.Ordinal);

    public async Task RunAsync(BlockAction click, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(click);
        if (!IncidentId.TryParse(click.Action.IncidentId, out var incidentId, out _))
        {
            await TellAsync(click, "That button is not a NetOpsBot action.", ct).ConfigureAwait(false);
            return;
        }

        var name = await users.DisplayNameAsync(click.UserId, click.UserName, ct).ConfigureAwait(false);
        var user = new ChatUser(SlackInbound.Platform, click.UserId, name);
        var channel = new ChatChannel(SlackInbound.Platform, click.ChannelId, click.MessageTs);
        var gate = _incidentGates.GetOrAdd(incidentId.Value, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        ActionReply reply;
        try
        {
            var plan = click.Action.PlanId;
            reply = click.Action switch
            {
                { Verb: CardActionVerb.ShowOutput, StepId: { } step } => await ShowOutputAsync(incidentId, step, click.Action.RunNumber, ct).ConfigureAwait(false),
                _ when plan is not null && click.Action.TryIncidentVerb(out var verb) =>
                    await actions.HandleAsync(new IncidentClick(verb, incidentId, plan, click.Action.Target, user, channel), ct).ConfigureAwait(false),
                _ => ActionReply.Refused("That button is not a NetOpsBot action."),
            };
        }
        finally
        {
            gate.Release();
        }

        LogClick(log, click.UserId, click.Action.VerbName, incidentId.Value, reply.Accepted);
        if (reply.ToClicker is { } mine)
        {
            await TellAsync(click, mine, ct).ConfigureAwait(false);
        }

        surface.Schedule(incidentId);
    }

    /// <summary>The step's whole raw output, in the card's thread, in code blocks within Slack's section size.</summary>
    private async Task<ActionReply> ShowOutputAsync(IncidentId id, string stepId, int? run, CancellationToken ct)
    {
        var found = await outputs.FindAsync(id, stepId, run, SlackInbound.Platform, ct).ConfigureAwait(false);
        if (found is null)
        {
            return ActionReply.Refused($"No output stored for step {stepId} of {id.Value}.");
        }

        var card = found.Incident.CardMessages.FirstOrDefault(c => c.Platform == SlackInbound.Platform);
        if (card is null)
        {
            return ActionReply.Refused($"No Slack card for {id.Value}.");
        }

        // Two clicks within a minute post it once; the thread already has it.
        var key = id.Value + "/" + stepId + "/" + run?.ToString(CultureInfo.InvariantCulture);
        var now = time.GetUtcNow();
        if (_outputShown.TryGetValue(key, out var at) && now - at < TimeSpan.FromMinutes(1))
        {
            return new ActionReply(true, "Already posted in the thread.");
        }

        _outputShown[key] = now;
        var step = found.Step.Result;
        var chunks = Chunks(step.RawOutput.Length == 0 ? "(no output)" : step.RawOutput).ToList();
        var shown = chunks.Take(MaxOutputMessages).ToList();
        for (var i = 0; i < shown.Count; i++)
        {
            var head = string.Create(CultureInfo.InvariantCulture, $"*Full output: {SlackText.Escape(step.Title)}* ({i + 1}/{chunks.Count})");
            var text = $"{head}\n```{SlackText.Code(shown[i])}```";
            var posted = await api.PostMessageAsync(card.ChannelId, new JsonObject { ["text"] = text }, card.MessageId, ct).ConfigureAwait(false);
            if (!posted.Ok)
            {
                // Not posted after all: the next click may try again at once.
                _outputShown.TryRemove(key, out _);
                return ActionReply.Refused($"Could not post the output ({posted.Error}).");
            }
        }

        if (chunks.Count > shown.Count)
        {
            await api.PostMessageAsync(card.ChannelId, new JsonObject { ["text"] = $"_… {chunks.Count - shown.Count} more parts not posted; `{runbooks.Default.Command} incident {id.Value}` or the incident export has everything._" }, card.MessageId, ct).ConfigureAwait(false);
        }

        return new ActionReply(true, "Posted in the thread.");
    }

    /// <summary>Whole lines up to a size that stays under 3,000 characters once escaped and fenced.</summary>
    internal static IEnumerable<string> Chunks(string output)
    {
        var current = new System.Text.StringBuilder();
        foreach (var raw in output.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw;
            while (SlackText.Code(line).Length > OutputChunkChars)
            {
                var cut = Math.Min(line.Length, OutputChunkChars / 5);
                if (current.Length > 0)
                {
                    yield return current.ToString();
                    current.Clear();
                }

                yield return line[..cut];
                line = line[cut..];
            }

            if (current.Length > 0 && SlackText.Code(current.ToString()).Length + SlackText.Code(line).Length + 1 > OutputChunkChars)
            {
                yield return current.ToString();
                current.Clear();
            }

            if (current.Length > 0)
            {
                current.Append('\n');
            }

            current.Append(line);
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    private async Task TellAsync(BlockAction click, string text, CancellationToken ct)
    {
        var sent = await api.PostEphemeralAsync(click.ChannelId, click.UserId, SlackText.Escape(text), ct).ConfigureAwait(false);
        if (!sent.Ok && click.ResponseUrl is not null)
        {
            await api.RespondAsync(click.ResponseUrl, new JsonObject { ["response_type"] = "ephemeral", ["replace_original"] = false, ["text"] = SlackText.Escape(text) }, ct).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "slack: {User} clicked {Verb} on {IncidentId}: accepted={Accepted}")]
    private static partial void LogClick(ILogger log, string user, string verb, string incidentId, bool accepted);
}
