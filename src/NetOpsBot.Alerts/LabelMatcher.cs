using System.Text.RegularExpressions;

namespace NetOpsBot.Alerts;

/// <summary>
/// A set of label matchers in Prometheus' selector syntax: <c>alertname=SSHDown</c>,
/// <c>{severity=~"page|critical", team!="db"}</c>, or <c>probe_success{module="ssh_banner"}</c> (the metric name in
/// front is only a reminder of the rule's expression: an alert carries its series' labels, so the braces decide).
/// All must match; an empty set matches every alert.
/// </summary>
public sealed class LabelMatcher
{
    private readonly List<(string Label, string Op, string Value, Regex? Regex)> _terms;

    private LabelMatcher(string text, List<(string, string, string, Regex?)> terms)
    {
        Text = text;
        _terms = terms;
    }

    public string Text { get; }

    public static bool TryParse(string? text, out LabelMatcher matcher, out string? error)
    {
        matcher = new LabelMatcher(string.Empty, []);
        error = null;
        var s = (text ?? string.Empty).Trim();
        var brace = s.IndexOf('{', StringComparison.Ordinal);
        if (brace >= 0)
        {
            if (!s.EndsWith('}'))
            {
                error = $"'{s}': a selector with '{{' must end with '}}'";
                return false;
            }

            s = s[(brace + 1)..^1];
        }

        var terms = new List<(string, string, string, Regex?)>();
        foreach (var raw in SplitTerms(s))
        {
            var term = raw.Trim();
            if (term.Length == 0)
            {
                continue;
            }

            var m = Regex.Match(term, "^([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)\\s*(.*)$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            if (!m.Success)
            {
                error = $"'{term}' is not a label matcher (label=value, label!=value, label=~regex, label!~regex)";
                return false;
            }

            var value = m.Groups[3].Value.Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            Regex? regex = null;
            if (m.Groups[2].Value is "=~" or "!~")
            {
                try
                {
                    regex = new Regex("^(?:" + value + ")$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
                }
                catch (ArgumentException e)
                {
                    error = $"'{term}': bad regular expression ({e.Message})";
                    return false;
                }
            }

            terms.Add((m.Groups[1].Value, m.Groups[2].Value, value, regex));
        }

        matcher = new LabelMatcher(text ?? string.Empty, terms);
        return true;
    }

    public static LabelMatcher Parse(string text) =>
        TryParse(text, out var m, out var error) ? m : throw new FormatException(error);

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (label, op, value, regex) in _terms)
        {
            var actual = labels.TryGetValue(label, out var v) ? v : string.Empty;
            var ok = op switch
            {
                "=" => string.Equals(actual, value, StringComparison.Ordinal),
                "!=" => !string.Equals(actual, value, StringComparison.Ordinal),
                "=~" => SafeMatch(regex!, actual),
                _ => !SafeMatch(regex!, actual),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SafeMatch(Regex regex, string text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    // Commas inside quoted values belong to the value.
    private static IEnumerable<string> SplitTerms(string s)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '"' && (i == 0 || s[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (s[i] == ',' && !quoted)
            {
                yield return s[start..i];
                start = i + 1;
            }
        }

        yield return s[start..];
    }
}
