using System.Globalization;
using System.Text;

namespace NetOpsBot.Core.Remediation;

/// <summary>
/// A device command with typed placeholders, e.g. <c>ip route-static 0.0.0.0 0.0.0.0 {gateway:ipv4}</c>.
/// Together with the runbook constants these are the only source of text sent to a device CLI: rendering
/// validates every value against its type, so chat text can never add words, pipes or lines.
/// </summary>
public sealed class CommandTemplate
{
    private readonly List<object> parts; // string literal or TemplateParameter

    private CommandTemplate(string pattern, List<object> parts)
    {
        Pattern = pattern;
        this.parts = parts;
        Parameters = parts.OfType<TemplateParameter>().ToList();
    }

    public string Pattern { get; }

    public IReadOnlyList<TemplateParameter> Parameters { get; }

    /// <summary>Parses a template written by us (code, not users); a malformed one is a bug and throws.</summary>
    /// <exception cref="FormatException">Bad placeholder, unknown type, duplicate name or a non-printable literal.</exception>
    public static CommandTemplate Parse(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var parts = new List<object>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        while (i < pattern.Length)
        {
            var open = pattern.IndexOf('{', i);
            var literal = open < 0 ? pattern[i..] : pattern[i..open];
            if (literal.Length > 0)
            {
                if (literal.Any(c => c is < ' ' or > '~' or '}'))
                {
                    throw new FormatException($"template literal must be printable ASCII: '{pattern}'");
                }

                parts.Add(literal);
            }

            if (open < 0)
            {
                break;
            }

            var close = pattern.IndexOf('}', open);
            if (close < 0)
            {
                throw new FormatException($"unclosed placeholder in '{pattern}'");
            }

            var p = ParsePlaceholder(pattern[(open + 1)..close], pattern);
            if (!names.Add(p.Name))
            {
                throw new FormatException($"duplicate placeholder '{p.Name}' in '{pattern}'");
            }

            parts.Add(p);
            i = close + 1;
        }

        return new CommandTemplate(pattern, parts);
    }

    /// <summary>Renders with <paramref name="values"/>; refuses (never throws) when any value fails its type.</summary>
    public RenderResult TryRender(IReadOnlyDictionary<string, string>? values)
    {
        var errors = new List<string>();
        var sb = new StringBuilder();
        var used = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            if (part is string s)
            {
                sb.Append(s);
                continue;
            }

            var p = (TemplateParameter)part;
            string? v = null;
            _ = values?.TryGetValue(p.Name, out v);
            var error = p.Validate(v);
            if (error is not null)
            {
                errors.Add(error);
                continue;
            }

            used[p.Name] = v!;
            sb.Append(v);
        }

        if (values is not null)
        {
            errors.AddRange(values.Keys.Where(k => !used.ContainsKey(k) && Parameters.All(p => p.Name != k)).Select(k => $"unknown parameter '{k}'"));
        }

        return errors.Count > 0 ? new RenderResult(null, errors) : new RenderResult(new BoundCommand(Pattern, sb.ToString(), used), []);
    }

    /// <summary>Renders a template without parameters.</summary>
    public BoundCommand Render() => TryRender(null) is { Succeeded: true } r
        ? r.Command
        : throw new InvalidOperationException($"template '{Pattern}' needs parameters");

    public override string ToString() => Pattern;

    private static TemplateParameter ParsePlaceholder(string body, string pattern)
    {
        var colon = body.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException($"placeholder '{{{body}}}' needs a type in '{pattern}'");
        }

        var name = body[..colon];
        var type = body[(colon + 1)..];
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new FormatException($"bad placeholder name '{name}' in '{pattern}'");
        }

        if (type == "ipv4")
        {
            return new TemplateParameter(name, ParameterType.Ipv4);
        }

        if (type == "ssh-port")
        {
            return new TemplateParameter(name, ParameterType.SshPort);
        }

        if (type == "interface")
        {
            return new TemplateParameter(name, ParameterType.InterfaceName);
        }

        if (type.StartsWith("int(", StringComparison.Ordinal) && type.EndsWith(')'))
        {
            var range = type[4..^1].Split("..");
            if (range.Length == 2
                && long.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
                && long.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max)
                && min <= max)
            {
                return new TemplateParameter(name, ParameterType.IntRange, min, max);
            }
        }

        throw new FormatException($"unknown placeholder type '{type}' in '{pattern}'");
    }
}
