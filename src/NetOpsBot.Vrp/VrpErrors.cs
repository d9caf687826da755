using System.Text.RegularExpressions;

namespace NetOpsBot.Vrp;

public enum VrpMessageKind
{
    Error,
    Warning,
    Info,
}

/// <summary>A device message. <see cref="CaretColumn"/> is the column of the '^' marker (it counts the prompt).</summary>
public sealed record VrpMessage(VrpMessageKind Kind, string Text, int? Number, int? CaretColumn, int LineIndex);

/// <summary>Finds "Error: …" (incl. "Error:Incomplete", "Error[1]:"), "Warning: …" and "Info: …" lines.</summary>
public static partial class VrpErrors
{
    [GeneratedRegex(@"^\s*(?<kind>Error|Warning|Info)(?:\[(?<n>\d+)\])?\s*:\s*(?<msg>.*?)\s*$")]
    private static partial Regex MessageLine();

    [GeneratedRegex(@"^\s*\^\s*$")]
    private static partial Regex CaretLine();

    public static IReadOnlyList<VrpMessage> FindMessages(string? text)
    {
        var result = new List<VrpMessage>();
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }

        var lines = VrpOutputCleaner.SplitLines(VrpPaging.Strip(text));
        int? caret = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length > 0 && CaretLine().IsMatch(line))
            {
                caret = line.IndexOf('^', StringComparison.Ordinal);
                continue;
            }

            var m = MessageLine().Match(line);
            if (m.Success)
            {
                var kind = Enum.Parse<VrpMessageKind>(m.Groups["kind"].Value);
                int? n = m.Groups["n"].Success ? VrpText.ToInt(m.Groups["n"].Value) : null;
                result.Add(new VrpMessage(kind, m.Groups["msg"].Value, n, kind == VrpMessageKind.Error ? caret : null, i));
            }

            if (line.Trim().Length > 0)
            {
                caret = null;
            }
        }

        return result;
    }

    public static bool HasError(string? text) => FindMessages(text).Any(m => m.Kind == VrpMessageKind.Error);

    public static VrpMessage? FirstError(string? text) => FindMessages(text).FirstOrDefault(m => m.Kind == VrpMessageKind.Error);
}
