using System.Globalization;

namespace NetOpsBot.Cards;

/// <summary>
/// Where full outputs live (the Host's page). Templates use <c>{incidentId}</c> and <c>{stepId}</c>; values are
/// URL-escaped. Without templates the cards offer a show-output button instead of a link.
/// </summary>
public sealed record CardLinks(string? IncidentUrlTemplate, string? StepOutputUrlTemplate)
{
    public static CardLinks None { get; } = new(null, null);

    public Uri? Incident(string incidentId) => Build(IncidentUrlTemplate, incidentId, null);

    public Uri? StepOutput(string incidentId, string stepId) => Build(StepOutputUrlTemplate, incidentId, stepId);

    /// <summary>
    /// The output of <paramref name="stepId"/> in run <paramref name="run"/> (1: the initial diagnosis). Every run keeps
    /// its own link: the output of the first run stays reachable after the re-diagnoses.
    /// </summary>
    public Uri? StepOutput(string incidentId, string stepId, int run)
    {
        var url = StepOutput(incidentId, stepId);
        if (url is null || run <= 1)
        {
            return url;
        }

        var b = new UriBuilder(url);
        var query = b.Query.TrimStart('?');
        b.Query = (query.Length == 0 ? string.Empty : query + "&") + "run=" + run.ToString(CultureInfo.InvariantCulture);
        return b.Uri;
    }

    private static Uri? Build(string? template, string incidentId, string? stepId)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return null;
        }

        var text = template
            .Replace("{incidentId}", Uri.EscapeDataString(incidentId), StringComparison.Ordinal)
            .Replace("{stepId}", Uri.EscapeDataString(stepId ?? string.Empty), StringComparison.Ordinal);

        // Only absolute http(s) links: anything else would be refused by Teams and Slack, or worse, be a javascript: URL.
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"link template does not give an absolute http(s) URL: '{template}'"), nameof(template));
    }
}
