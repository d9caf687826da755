using Serilog;
using Serilog.Context;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;

namespace NetOpsBot.Host.Tests;

/// <summary>Issue 13 item 11: a value with CR/LF, ESC or a C1 control cannot forge a log line, in any formatter.</summary>
public sealed class LogSafetyTests
{
    public static TheoryData<string> Formatters => new() { "readable", "compact-json", "rendered-compact-json" };

    private static ITextFormatter Formatter(string name) => name switch
    {
        "readable" => new ReadableLogFormatter(),
        "compact-json" => new CompactJsonFormatter(),
        _ => new RenderedCompactJsonFormatter(),
    };

    private static string Write(string formatter, Action<ILogger> log)
    {
        using var output = new StringWriter();
        using (var logger = new LoggerConfiguration().MinimumLevel.Verbose().WithNetOpsBotEnrichment().WriteTo.Sink(new FormatterSink(Formatter(formatter), output)).CreateLogger())
        {
            log(logger);
        }

        return output.ToString();
    }

    [Theory]
    [MemberData(nameof(Formatters))]
    public void UserName_WithCrLf_IsOneLine(string formatter)
    {
        var text = Write(formatter, l => l.Information("web chat: command from {User} accepted={Accepted}", "mallory\r\n[ERR] fake line", true));

        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain('\r', text);
        Assert.Contains("fake line", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formatters))]
    public void ActivityIdInAScope_WithEscapesAndC1Controls_IsEscaped(string formatter)
    {
        var text = Write(formatter, l =>
        {
            using (LogContext.PushProperty("IncidentId", "INC-1\u001b[2J\u0085[ERR] forged\u2028x"))
            {
                l.Warning("teams: activity {ActivityId} refused", "1700000000\n[INF] approved by ceo\u009b31m");
            }
        });

        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        foreach (var c in new[] { '\u001b', '\u0085', '\u009b', '\u2028', '\r' })
        {
            Assert.DoesNotContain(c, text);
        }
    }

    [Fact]
    public void Readable_ExceptionLines_AreIndentedAndAMessageMadeOfUserTextIsEscaped()
    {
        var text = Write("readable", l => l.Error(new InvalidOperationException("boom\n[INF] forged"), "slack: " + "user text\r\n[ERR] forged as template"));

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("[", lines[0], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("  | ", l, StringComparison.Ordinal));
        Assert.Contains("user text\\r\\n[ERR] forged as template", lines[0], StringComparison.Ordinal);
    }

    private sealed class FormatterSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => formatter.Format(logEvent, output);
    }
}
