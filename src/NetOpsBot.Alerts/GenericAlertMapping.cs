using System.Text.Json;

namespace NetOpsBot.Alerts;

/// <summary>
/// How a JSON alert from a system we have no receiver for maps onto an <see cref="Alert"/>: dotted paths into
/// the body (<c>event.id</c>). Configured per source under <c>NetOps:Alerts:Generic:{source}</c>.
/// </summary>
public sealed record GenericAlertMapping
{
    /// <summary>Preset field mapping: <c>zabbix</c> (the webhook media type's usual parameters), or none.</summary>
    public string? Preset { get; set; }

    /// <summary>Shown on the card: "opened by alert X from {DisplayName}".</summary>
    public string? DisplayName { get; set; }

    /// <summary>Path of an array of alerts in the body; unset: the body is one alert, or an array of them.</summary>
    public string? AlertsPath { get; set; }

    public string? IdentityPath { get; set; }

    public string? StatusPath { get; set; }

    /// <summary>Status values meaning "resolved" (case-insensitive); anything else is firing.</summary>
    public List<string> ResolvedValues { get; set; } = [];

    public string? NamePath { get; set; }

    /// <summary>Path of an object whose members become labels.</summary>
    public string? LabelsPath { get; set; }

    /// <summary>Label name → path of its value.</summary>
    public Dictionary<string, string> LabelPaths { get; set; } = new(StringComparer.Ordinal);

    public string? UrlPath { get; set; }

    /// <summary>The Zabbix preset, for a webhook media type whose parameters are named as in docs/alerts.</summary>
    public static GenericAlertMapping Zabbix { get; } = new()
    {
        DisplayName = "Zabbix",
        IdentityPath = "event_id",
        StatusPath = "event_value",
        ResolvedValues = ["0", "resolved", "ok"],
        NamePath = "event_name",
        LabelPaths = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["hostname"] = "host_name",
            ["ip"] = "host_ip",
            ["severity"] = "event_severity",
            ["trigger"] = "trigger_name",
            ["site"] = "site",
            ["device"] = "device",
        },
        UrlPath = "event_url",
    };

    /// <summary>This mapping with its preset's fields filled in where it sets none.</summary>
    public GenericAlertMapping Effective()
    {
        if (!string.Equals(Preset, "zabbix", StringComparison.OrdinalIgnoreCase))
        {
            return this;
        }

        var z = Zabbix;
        return this with
        {
            DisplayName = DisplayName ?? z.DisplayName,
            IdentityPath = IdentityPath ?? z.IdentityPath,
            StatusPath = StatusPath ?? z.StatusPath,
            ResolvedValues = ResolvedValues.Count > 0 ? ResolvedValues : z.ResolvedValues,
            NamePath = NamePath ?? z.NamePath,
            LabelPaths = LabelPaths.Count > 0 ? LabelPaths : z.LabelPaths,
            UrlPath = UrlPath ?? z.UrlPath,
        };
    }

    /// <summary>Configuration problems, each naming its key (empty when usable).</summary>
    public IReadOnlyList<string> Validate(string key)
    {
        var problems = new List<string>();
        if (Preset is not null && !string.Equals(Preset, "zabbix", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{key}:Preset must be \"zabbix\" or unset");
        }

        var e = Effective();
        if (string.IsNullOrWhiteSpace(e.IdentityPath))
        {
            problems.Add($"{key}:IdentityPath is required (the alert's event id: repeated notifications must find their incident)");
        }

        return problems;
    }

    public AlertParseResult Parse(string source, ReadOnlyMemory<byte> body, int maxAlerts)
    {
        var m = Effective();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            return AlertParseResult.Fail($"The body is not valid JSON ({JsonText.Where(e)}).");
        }

        using (doc)
        {
            var items = new List<JsonElement>();
            var root = m.AlertsPath is { Length: > 0 } p ? Find(doc.RootElement, p) : doc.RootElement;
            switch (root)
            {
                case { ValueKind: JsonValueKind.Array } array:
                    items.AddRange(array.EnumerateArray());
                    break;
                case { ValueKind: JsonValueKind.Object } one when m.AlertsPath is null:
                    items.Add(one);
                    break;
                default:
                    return AlertParseResult.Fail(m.AlertsPath is null ? "The body must be a JSON object (one alert) or an array of them." : $"\"{m.AlertsPath}\" must be an array of alerts.");
            }

            if (items.Count > maxAlerts)
            {
                return AlertParseResult.Fail($"{items.Count} alerts in one notification; at most {maxAlerts} are accepted.");
            }

            var display = m.DisplayName ?? source;
            var list = new List<Alert>(items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                var identity = Find(item, m.IdentityPath!) is { } idv ? JsonText.Scalar(idv) : null;
                if (!AlertIdentity.IsValid(identity))
                {
                    return AlertParseResult.Fail($"alert {i}: \"{m.IdentityPath}\" is missing or not a usable id.");
                }

                var status = m.StatusPath is { } sp && Find(item, sp) is { } sv ? JsonText.Scalar(sv) : null;
                var resolved = status is not null && m.ResolvedValues.Contains(status, StringComparer.OrdinalIgnoreCase);
                var labels = (m.LabelsPath is { } lp && Find(item, lp) is { } lv ? JsonText.StringMap(lv) : null) ?? new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (label, path) in m.LabelPaths)
                {
                    if (Find(item, path) is { } v && JsonText.Scalar(v) is { Length: > 0 } s)
                    {
                        labels[label] = s;
                    }
                }

                if (m.NamePath is { } np && Find(item, np) is { } nv && JsonText.Scalar(nv) is { Length: > 0 } name)
                {
                    labels["alertname"] = name;
                }

                var url = m.UrlPath is { } up && Find(item, up) is { } uv ? JsonText.Url(JsonText.Scalar(uv)) : null;
                list.Add(new Alert(source, display, identity!, resolved ? AlertStatus.Resolved : AlertStatus.Firing, labels, JsonText.Empty, null, null, url));
            }

            return new AlertParseResult(list, null);
        }
    }

    private static JsonElement? Find(JsonElement e, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(part, out e))
            {
                return null;
            }
        }

        return e;
    }
}
