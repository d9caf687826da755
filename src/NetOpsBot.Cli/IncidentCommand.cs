using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Storage;

namespace NetOpsBot.Cli;

/// <summary>`netopsbot incident export &lt;id&gt;`: the postmortem of a stored incident, as the page's download link gives it.</summary>
internal static class IncidentCommand
{
    public static Command Build()
    {
        var id = new Argument<string>("id") { Description = "Incident id, e.g. INC-3VVA6EVN." };
        var db = new Option<string>("--db") { Description = "Storage connection string (the host's NetOps:Storage:ConnectionString).", DefaultValueFactory = _ => "Data Source=data/netopsbot.db" };
        var provider = new Option<StorageProvider>("--provider") { Description = "Sqlite or Postgres.", DefaultValueFactory = _ => StorageProvider.Sqlite };
        var output = new Option<string?>("--out") { Description = "Write to this file instead of standard output." };
        var export = new Command("export", "Write an incident's postmortem (problem, steps and findings, root cause, resolution, commands, timeline) as Markdown.") { id, db, provider, output };
        export.SetAction(async (result, ct) =>
        {
            if (!IncidentId.TryParse(result.GetValue(id), out var incidentId, out var reason))
            {
                await Console.Error.WriteLineAsync("incident export: " + reason).ConfigureAwait(false);
                return 2;
            }

            var services = new ServiceCollection();
            services.AddNetOpsBotStorage(new StorageOptions { Provider = result.GetValue(provider), ConnectionString = result.GetValue(db)! });
            await using var sp = services.BuildServiceProvider();
            var store = sp.GetRequiredService<IIncidentStore>();
            var incident = await store.GetAsync(incidentId, ct).ConfigureAwait(false);
            if (incident is null)
            {
                await Console.Error.WriteLineAsync($"incident export: no incident {incidentId.Value} in that store.").ConfigureAwait(false);
                return 3;
            }

            var runbook = NetOpsBot.Platforms.KnownRunbooks.Definitions.FirstOrDefault(r => r.Id == incident.RunbookId);
            var markdown = PostmortemWriter.Write(incident, await store.TimelineAsync(incidentId, 0, ct).ConfigureAwait(false), runbook);
            if (result.GetValue(output) is { Length: > 0 } file)
            {
                await File.WriteAllTextAsync(file, markdown, ct).ConfigureAwait(false);
            }
            else
            {
                Console.Write(markdown);
            }

            return 0;
        });
        var incidentCommand = new Command("incident", "Stored incidents.");
        incidentCommand.Subcommands.Add(export);
        return incidentCommand;
    }
}
