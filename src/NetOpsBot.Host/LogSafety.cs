using System.Globalization;
using System.Text;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace NetOpsBot.Host;

/// <summary>
/// Log injection: a value a user or a platform controls (a user name, a Teams activity id, a device's answer)
/// must not be able to end a log line and forge the next one, nor send terminal escapes to whoever tails the
/// log. Every property is escaped once, before any sink, so every formatter (JSON or text) gets safe values.
/// </summary>
public static class LogSafety
{
    /// <summary>Scopes as properties, then the escaping (last, so it sees what every other enricher added).</summary>
    public static LoggerConfiguration WithNetOpsBotEnrichment(this LoggerConfiguration logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return logger.Enrich.FromLogContext().Enrich.With(new ControlCharacterEscaper());
    }

    /// <summary>True when <paramref name="c"/> could break a line or drive a terminal: C0, DEL, C1, U+2028/U+2029.</summary>
    public static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    /// <summary><c>\r</c>, <c>\n</c>, <c>\t</c> as those two characters; any other unsafe character as <c>\uXXXX</c>.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(IsUnsafe))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (!IsUnsafe(c))
            {
                sb.Append(c);
            }
            else if (c is '\r' or '\n' or '\t')
            {
                sb.Append('\\').Append(c switch { '\r' => 'r', '\n' => 'n', _ => 't' });
            }
            else
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    internal static LogEventPropertyValue Escape(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string s } => s.Any(IsUnsafe) ? new ScalarValue(Escape(s)) : value,
        // Anything rendered through ToString (an exception type, a record) can carry a newline too.
        ScalarValue { Value: not null and not IFormattable and not bool and not char } v when v.Value.ToString() is { } text && text.Any(IsUnsafe) => new ScalarValue(Escape(text)),
        ScalarValue { Value: char c } when IsUnsafe(c) => new ScalarValue(Escape(c.ToString())),
        SequenceValue seq => new SequenceValue(seq.Elements.Select(Escape)),
        StructureValue st => new StructureValue(st.Properties.Select(p => new LogEventProperty(Escape(p.Name), Escape(p.Value))), st.TypeTag),
        DictionaryValue d => new DictionaryValue(d.Elements.Select(kv => new KeyValuePair<ScalarValue, LogEventPropertyValue>((ScalarValue)Escape(kv.Key), Escape(kv.Value)))),
        _ => value,
    };

    private sealed class ControlCharacterEscaper : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            List<LogEventProperty>? changed = null;
            foreach (var (name, value) in logEvent.Properties)
            {
                var escaped = Escape(value);
                if (!ReferenceEquals(escaped, value))
                {
                    (changed ??= []).Add(new LogEventProperty(name, escaped));
                }
            }

            foreach (var p in changed ?? [])
            {
                logEvent.AddOrUpdateProperty(p);
            }
        }
    }
}

/// <summary>
/// The demo's readable console line (set as the console sink's formatter in appsettings.Development.json). One
/// event is one line: the rendered message is escaped again (a template that is itself user text, from a
/// logger call that passed a string as the message, has no property to escape), and an exception's lines are
/// indented with "  | " so nothing in it can pass for a log line of its own.
/// </summary>
public sealed class ReadableLogFormatter : ITextFormatter
{
    private readonly MessageTemplateTextFormatter _line = new("[{Timestamp:HH:mm:ss} {Level:u3}] {IncidentId} {Message:lj}", CultureInfo.InvariantCulture);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        using var line = new StringWriter(CultureInfo.InvariantCulture);
        _line.Format(logEvent, line);
        output.Write(LogSafety.Escape(line.ToString()));
        output.Write('\n');
        if (logEvent.Exception is { } ex)
        {
            foreach (var l in ex.ToString().Split('\n'))
            {
                output.Write("  | ");
                output.Write(LogSafety.Escape(l.TrimEnd('\r')));
                output.Write('\n');
            }
        }
    }
}
