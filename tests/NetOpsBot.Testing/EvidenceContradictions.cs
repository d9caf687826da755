using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NetOpsBot.Testing;

/// <summary>
/// Evidence pairs that cannot both be true (issue 15). A switch with no route back to the management subnet sends
/// nothing there: no SYN-ACK, no RST, no login. So one run (or the stretch of a thread before the route is added)
/// that says the route is missing must not also say a login works, a port refused or opened, or a session is
/// established from the jump host. Each method returns the contradictions found, empty when the evidence agrees.
/// </summary>
public static class EvidenceContradictions
{
    /// <summary>The jump host's address in the management subnet (the lab's and the reference case's).</summary>
    public const string JumpHost = "10.200.0.10";

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    // A plan id ("return-route-missing.default-route") names a fix, not a finding.
    private static readonly Regex RouteMissing = new(@"no route back|return-route-missing(?![.\w-])", Options);

    private static readonly Regex NewRun = new(@"(^|\s)Re-running the diagnosis", Options);

    // The route fix ran: from here on the switch may answer (an earlier claim of a missing route is history).
    private static readonly Regex RouteAdded = new(@"Ran `ip route-static|route-static [0-9. ]+ (added|ran)|Running REQ-\S+ on \S+: .*ip route-static", Options);

    private static readonly (string Claim, Regex Pattern)[] Answers =
    [
        ("an SSH login works", new(@"login (through the jump host )?works|cli via ssh:\d+: ok", Options)),
        ("a session established from the jump host", new(@"established from 10\.200\.0\.10|10\.200\.0\.10:\d+\s+(\S+\s+)?Established", Options)),
        ("a port refused by RST (an answer)", new(@"refused \(RST\)|Connection refused|tcp \d+: refused|port \d+ refused", Options)),
        ("a port open (a SYN-ACK came back)", new(@"tcp \d+: open\b", Options)),
    ];

    /// <summary>One run's evidence as one text: if it says the route is missing, nothing in it may say an answer came back.</summary>
    public static IReadOnlyList<string> InRun(string evidence, string where = "run")
    {
        var missing = RouteMissing.Match(evidence);
        if (!missing.Success)
        {
            return [];
        }

        return Answers
            .Select(a => (a.Claim, Match: a.Pattern.Match(evidence)))
            .Where(x => x.Match.Success)
            .Select(x => $"{where}: '{Around(evidence, missing)}' (route missing) contradicts '{Around(evidence, x.Match)}' ({x.Claim})")
            .ToList();
    }

    /// <summary>
    /// A thread in order, cut into stretches: a new one starts where a diagnosis is re-run and where the route fix
    /// ran. A stretch that says the route is missing (the diagnosis and its verdict) must not claim an answer.
    /// </summary>
    public static IReadOnlyList<string> InThread(IEnumerable<string> lines)
    {
        var found = new List<string>();
        var stretch = new List<string>();
        var first = 1;
        var n = 0;
        void Check()
        {
            found.AddRange(InRun(string.Join('\n', stretch), $"thread (lines {first}-{n})"));
            stretch.Clear();
            first = n + 1;
        }

        foreach (var line in lines)
        {
            if (stretch.Count > 0 && (RouteAdded.IsMatch(line) || NewRun.IsMatch(line)))
            {
                Check();
            }

            n++;
            stretch.Add(line);
        }

        Check();
        return found;
    }

    /// <summary>
    /// An Adaptive Card (web chat, Teams): its current run and each run behind "Earlier runs" are checked one by one,
    /// since stage one's "no route back" and stage two's "22 refused" are both true, at different times.
    /// </summary>
    public static IReadOnlyList<string> InAdaptiveCard(JsonNode card)
    {
        var found = new List<string>();
        var current = new List<string>();
        var earlier = new List<List<string>>();
        Collect(card, current, earlier, inEarlier: false);
        found.AddRange(InRun(string.Join('\n', current), "card (current run)"));
        for (var i = 0; i < earlier.Count; i++)
        {
            found.AddRange(InRun(string.Join('\n', earlier[i]), $"card (earlier run {i + 1})"));
        }

        return found;
    }

    private static void Collect(JsonNode? node, List<string> current, List<List<string>> earlier, bool inEarlier)
    {
        switch (node)
        {
            case JsonObject o:
                if ((string?)o["type"] == "Action.ShowCard" && ((string?)o["title"])?.StartsWith("Earlier runs", StringComparison.Ordinal) == true)
                {
                    Collect(o["card"], current, earlier, inEarlier: true);
                    return;
                }

                if (inEarlier && (string?)o["type"] == "TextBlock" && o["text"] is JsonValue t && Regex.IsMatch((string?)t ?? string.Empty, @"^\d+\. \S"))
                {
                    earlier.Add([]);
                }

                foreach (var (key, value) in o)
                {
                    if (key is "text" or "value" or "title" && value is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        (inEarlier && earlier.Count > 0 ? earlier[^1] : current).Add(s);
                    }
                    else if (key != "data")
                    {
                        Collect(value, current, earlier, inEarlier);
                    }
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Collect(child, current, earlier, inEarlier);
                }

                break;
        }
    }

    private static string Around(string text, Match m)
    {
        var start = text.LastIndexOf('\n', Math.Max(0, m.Index - 1)) + 1;
        var end = text.IndexOf('\n', m.Index + m.Length);
        return Cut(text[start..(end < 0 ? text.Length : end)]);
    }

    private static string Cut(string s) => s.Length <= 160 ? s : s[..157] + "...";
}
