using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using NetOpsBot.Vrp;

namespace NetOpsBot.Cli;

/// <summary>`netopsbot parse "display tcp status" &lt; output.txt`: triage of outputs users paste.</summary>
internal static class ParseCommand
{
    private const int MaxInputBytes = 16 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        // Device output is echoed back as data; keep it readable rather than \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Build()
    {
        var command = new Argument<string>("command") { Description = "The VRP command that produced the output, e.g. \"display tcp status\" (abbreviations work)." };
        var parse = new Command("parse", "Parse VRP command output from standard input and print it as JSON.") { command };
        parse.SetAction(async (result, ct) =>
        {
            using var stdin = Console.OpenStandardInput();
            using var reader = new StreamReader(stdin);
            var buffer = new char[MaxInputBytes];
            var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
            var output = new string(buffer, 0, read);
            var parsed = VrpParsers.ParseCommand(result.GetValue(command), output);
            Console.WriteLine(JsonSerializer.Serialize(parsed, Json));
            return parsed.Parsed ? 0 : 4;
        });
        return parse;
    }
}
