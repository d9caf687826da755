using System.CommandLine;
using NetOpsBot.Cli;

var root = new RootCommand("netopsbot: chat-ops diagnosis for network devices, and its lab.");
root.Subcommands.Add(ParseCommand.Build());
root.Subcommands.Add(DiagCommand.Build());
root.Subcommands.Add(IncidentCommand.Build());
if (OperatingSystem.IsLinux())
{
    root.Subcommands.Add(LabCommands.Build());
}

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
