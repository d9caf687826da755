using System.Text;
using NetOpsBot.Core.Access;

namespace NetOpsBot.Runbooks.SshUnreachable;

/// <summary>Commands sent, raw output and attempts of one step, kept even when the step fails half-way.</summary>
internal sealed class StepLog
{
    private readonly StringBuilder raw = new();

    public List<string> Commands { get; } = [];

    public int Attempts { get; set; }

    public string Raw => raw.ToString();

    public void Add(CliResult result)
    {
        Commands.Add(result.Command);
        raw.Append("> ").Append(result.Command).Append('\n').Append(result.Raw);
        if (result.Raw.Length > 0 && result.Raw[^1] != '\n')
        {
            raw.Append('\n');
        }
    }

    public void Note(string line) => raw.Append("# ").Append(line).Append('\n');
}
