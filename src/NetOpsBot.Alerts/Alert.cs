namespace NetOpsBot.Alerts;

/// <summary>What monitoring says about one alert in one notification.</summary>
public enum AlertStatus
{
    Firing,
    Resolved,
}

/// <summary>
/// One monitoring alert as every receiver hands it over. <see cref="Identity"/> is the monitoring system's own
/// (Alertmanager fingerprint, Zabbix event id); <see cref="Source"/> is the receiver's key (<c>alertmanager</c>,
/// or the generic receiver's configured source name).
/// </summary>
public sealed record Alert(
    string Source,
    string SourceDisplayName,
    string Identity,
    AlertStatus Status,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    string? GeneratorUrl)
{
    /// <summary>The alert's name (label <c>alertname</c>), or "alert" when monitoring sent none.</summary>
    public string Name => Labels.TryGetValue("alertname", out var n) && n.Length > 0 ? n : "alert";
}

/// <summary>A notification parsed, or the reason it could not be (fit to answer the sender with).</summary>
public sealed record AlertParseResult(IReadOnlyList<Alert> Alerts, string? Error)
{
    public bool Ok => Error is null;

    public static AlertParseResult Fail(string error) => new([], error);
}
