using System.Globalization;
using System.Text.Json;

namespace NetOpsBot.Alerts;

/// <summary>
/// Alertmanager's webhook notification (<c>version: "4"</c>). Read by hand rather than bound to classes so
/// that every malformed field gets an answer naming it, and a group of thousands of alerts is one pass.
/// </summary>
public static class AlertmanagerPayload
{
    public const string Source = "alertmanager";

    public const string DisplayName = "Alertmanager";

    /// <param name="maxAlerts">More alerts than this in one notification is refused as a whole.</param>
    public static AlertParseResult Parse(ReadOnlyMemory<byte> body, int maxAlerts)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return AlertParseResult.Fail($"The body is not valid JSON ({JsonText.Where(e)}); Alertmanager's webhook sends a JSON object with version \"4\".");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return AlertParseResult.Fail("The body must be a JSON object (Alertmanager webhook payload, version \"4\").");
            }

            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "4")
            {
                return AlertParseResult.Fail("Unsupported payload: \"version\" must be \"4\" (Alertmanager webhook).");
            }

            if (!root.TryGetProperty("alerts", out var alerts) || alerts.ValueKind != JsonValueKind.Array)
            {
                return AlertParseResult.Fail("\"alerts\" must be an array.");
            }

            var count = alerts.GetArrayLength();
            if (count > maxAlerts)
            {
                return AlertParseResult.Fail($"{count} alerts in one notification; at most {maxAlerts} are accepted (lower Alertmanager's group size, e.g. group_by more labels).");
            }

            var common = root.TryGetProperty("commonLabels", out var cl) ? JsonText.StringMap(cl) : null;
            var list = new List<Alert>(count);
            var index = 0;
            foreach (var a in alerts.EnumerateArray())
            {
                if (a.ValueKind != JsonValueKind.Object)
                {
                    return AlertParseResult.Fail($"alerts[{index}] must be an object.");
                }

                var labels = a.TryGetProperty("labels", out var l) ? JsonText.StringMap(l) : null;
                if (labels is null && common is null)
                {
                    return AlertParseResult.Fail($"alerts[{index}].labels must be an object of strings.");
                }

                labels ??= common!;
                var status = JsonText.String(a, "status");
                AlertStatus parsed;
                switch (status)
                {
                    case "firing":
                        parsed = AlertStatus.Firing;
                        break;
                    case "resolved":
                        parsed = AlertStatus.Resolved;
                        break;
                    default:
                        return AlertParseResult.Fail($"alerts[{index}].status must be \"firing\" or \"resolved\".");
                }

                var fingerprint = JsonText.String(a, "fingerprint");
                if (string.IsNullOrEmpty(fingerprint))
                {
                    // Older Alertmanagers omit it; the label set is what Alertmanager fingerprints anyway.
                    fingerprint = JsonText.LabelHash(labels);
                }

                if (!AlertIdentity.IsValid(fingerprint))
                {
                    return AlertParseResult.Fail($"alerts[{index}].fingerprint is not a usable identity (1-{Core.Incidents.AlertLink.MaxIdentityLength} printable characters).");
                }

                list.Add(new Alert(
                    Source,
                    DisplayName,
                    fingerprint,
                    parsed,
                    labels,
                    a.TryGetProperty("annotations", out var an) ? JsonText.StringMap(an) ?? JsonText.Empty : JsonText.Empty,
                    JsonText.Time(JsonText.String(a, "startsAt")),
                    JsonText.Time(JsonText.String(a, "endsAt")),
                    JsonText.Url(JsonText.String(a, "generatorURL"))));
                index++;
            }

            return new AlertParseResult(list, null);
        }
    }
}

/// <summary>Shared JSON reading for the receivers.</summary>
internal static class JsonText
{
    public static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>(StringComparer.Ordinal);

    public static string Where(JsonException e) =>
        e.LineNumber is { } line ? $"line {line + 1}, position {e.BytePositionInLine + 1}" : "at the start";

    public static string? String(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) ? Scalar(v) : null;

    public static string? Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        _ => null,
    };

    /// <summary>An object of scalar values as strings; null when it is not an object.</summary>
    public static Dictionary<string, string>? StringMap(JsonElement o)
    {
        if (o.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in o.EnumerateObject())
        {
            if (Scalar(p.Value) is { } s)
            {
                map[p.Name] = s;
            }
        }

        return map;
    }

    /// <summary>Alertmanager's "zero" time (0001-01-01) means unset.</summary>
    public static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && t.Year > 1 ? t : null;

    /// <summary>Only absolute http(s) links reach a card: a javascript: or data: URL from a payload must not.</summary>
    public static string? Url(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) ? u.AbsoluteUri : null;

    public static string LabelHash(IReadOnlyDictionary<string, string> labels)
    {
        var text = string.Join('\n', labels.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.Key + "=" + k.Value));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
    }
}

/// <summary>What an identity may look like: it is stored and used in idempotency keys.</summary>
internal static class AlertIdentity
{
    public static bool IsValid(string? identity) =>
        identity is { Length: > 0 and <= Core.Incidents.AlertLink.MaxIdentityLength } && identity.All(c => c > ' ' && c < (char)127);
}
