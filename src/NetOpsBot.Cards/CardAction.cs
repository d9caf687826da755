using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetOpsBot.Cards;

/// <summary>
/// The typed payload behind a button. The nonce binds a click to the card state that showed the button,
/// so a stale or forged click can be recognised by the approval service (issue 5).
/// </summary>
public sealed record CardAction(CardActionVerb Verb, string IncidentId, string? PlanId, string Nonce)
{
    /// <summary>Set for <see cref="CardActionVerb.ShowOutput"/>: which step's output.</summary>
    public string? StepId { get; init; }

    /// <summary>Show-output: the run of <see cref="StepId"/> (absent: the latest run).</summary>
    public string? Run { get; init; }

    /// <summary><see cref="Run"/> as a number, when it is one.</summary>
    public int? RunNumber => int.TryParse(Run, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    /// <summary>Approve/reject: the request the button was drawn for.</summary>
    public string? RequestId { get; init; }

    /// <summary>Run/approve/reject: <see cref="Core.Approvals.ClickTarget.HashCommands"/> of the commands the card shows next to the button.</summary>
    public string? CommandsHash { get; init; }

    /// <summary>
    /// Approve/reject/withdraw: the requester as <c>platform:userId</c>, so a client that draws one card for several
    /// people (the web chat) can hide Approve from the requester and Withdraw from everyone else. Display only: the
    /// server never reads it back (a click is judged against the stored request).
    /// </summary>
    public string? Requester { get; init; }

    /// <summary>What the click says it acts on, for the approval service to check against the stored request.</summary>
    public Core.Approvals.ClickTarget Target => new(RequestId, CommandsHash);

    public string VerbName => ToWire(Verb);

    /// <summary>The channel-neutral verb of a fix button; false for buttons that are no decision (show output).</summary>
    public bool TryIncidentVerb(out Core.Approvals.IncidentVerb verb)
    {
        (var known, verb) = Verb switch
        {
            CardActionVerb.Run => (true, Core.Approvals.IncidentVerb.Request),
            CardActionVerb.Approve => (true, Core.Approvals.IncidentVerb.Approve),
            CardActionVerb.Reject => (true, Core.Approvals.IncidentVerb.Reject),
            CardActionVerb.Withdraw => (true, Core.Approvals.IncidentVerb.Withdraw),
            _ => (false, default),
        };
        return known;
    }

    public static string ToWire(CardActionVerb verb) => verb switch
    {
        CardActionVerb.Approve => "approve",
        CardActionVerb.Reject => "reject",
        CardActionVerb.Run => "run",
        CardActionVerb.ShowOutput => "show-output",
        CardActionVerb.Withdraw => "withdraw",
        _ => throw new ArgumentOutOfRangeException(nameof(verb), verb, null),
    };

    public static bool TryParseVerb(string? text, out CardActionVerb verb)
    {
        switch (text)
        {
            case "approve": verb = CardActionVerb.Approve; return true;
            case "reject": verb = CardActionVerb.Reject; return true;
            case "run": verb = CardActionVerb.Run; return true;
            case "show-output": verb = CardActionVerb.ShowOutput; return true;
            case "withdraw": verb = CardActionVerb.Withdraw; return true;
            default: verb = default; return false;
        }
    }

    /// <summary>Adaptive Card <c>data</c> (Action.Execute carries the verb separately; it is repeated so Action.Submit works too).</summary>
    public JsonObject ToData()
    {
        var data = new JsonObject
        {
            ["verb"] = VerbName,
            ["incidentId"] = IncidentId,
            ["nonce"] = Nonce,
        };
        if (PlanId is not null)
        {
            data["planId"] = PlanId;
        }

        if (StepId is not null)
        {
            data["stepId"] = StepId;
        }

        if (Run is not null)
        {
            data["run"] = Run;
        }

        if (RequestId is not null)
        {
            data["requestId"] = RequestId;
        }

        if (CommandsHash is not null)
        {
            data["commandsHash"] = CommandsHash;
        }

        if (Requester is not null)
        {
            data["requester"] = Requester;
        }

        return data;
    }

    /// <summary>Short keys for Slack's 2,000-character button <c>value</c>.</summary>
    public string ToCompactJson()
    {
        var o = new JsonObject { ["v"] = VerbName, ["i"] = IncidentId, ["n"] = Nonce };
        if (PlanId is not null)
        {
            o["p"] = PlanId;
        }

        if (StepId is not null)
        {
            o["s"] = StepId;
        }

        if (Run is not null)
        {
            o["u"] = Run;
        }

        if (RequestId is not null)
        {
            o["r"] = RequestId;
        }

        if (CommandsHash is not null)
        {
            o["h"] = CommandsHash;
        }

        return o.ToJsonString();
    }

    /// <summary>Parses either the compact Slack form or the Adaptive Card data form; false on anything else (input is untrusted).</summary>
    public static bool TryParse(string? json, [NotNullWhen(true)] out CardAction? action)
    {
        action = null;
        if (string.IsNullOrEmpty(json) || json.Length > 4096)
        {
            return false;
        }

        try
        {
            return JsonNode.Parse(json) is JsonObject o && TryFromData(o, out action);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static bool TryFromData(JsonObject data, [NotNullWhen(true)] out CardAction? action)
    {
        ArgumentNullException.ThrowIfNull(data);
        action = null;
        var verb = Str(data, "verb") ?? Str(data, "v");
        var incident = Str(data, "incidentId") ?? Str(data, "i");
        var nonce = Str(data, "nonce") ?? Str(data, "n");
        if (!TryParseVerb(verb, out var v) || string.IsNullOrEmpty(incident) || string.IsNullOrEmpty(nonce))
        {
            return false;
        }

        action = new CardAction(v, incident, Str(data, "planId") ?? Str(data, "p"), nonce)
        {
            StepId = Str(data, "stepId") ?? Str(data, "s"),
            Run = Str(data, "run") ?? Str(data, "u"),
            RequestId = Str(data, "requestId") ?? Str(data, "r"),
            CommandsHash = Str(data, "commandsHash") ?? Str(data, "h"),
        };
        return true;
    }

    private static string? Str(JsonObject o, string key) =>
        o.TryGetPropertyValue(key, out var n) && n is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;
}
