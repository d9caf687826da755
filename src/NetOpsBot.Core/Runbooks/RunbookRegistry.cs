using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Platforms;

namespace NetOpsBot.Core.Runbooks;

/// <summary>
/// The runbooks a deployment runs, keyed by runbook id and platform. Chat commands, help text, card headers and the
/// postmortem read a runbook's command word and title here, so none of them names a runbook.
/// </summary>
public sealed class RunbookRegistry
{
    private readonly Dictionary<string, RunbookDefinition> byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunbookDefinition> byCommand = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Runbook, string Platform), IRunbook> implementations = [];
    private readonly DevicePlatforms? platforms;

    /// <param name="runbooks">Every implementation; the first one's runbook is <see cref="Default"/>.</param>
    /// <param name="platforms">Resolves platform aliases ("vrp") to the ids implementations register under.</param>
    public RunbookRegistry(IEnumerable<IRunbook> runbooks, DevicePlatforms? platforms = null)
    {
        ArgumentNullException.ThrowIfNull(runbooks);
        this.platforms = platforms;
        var ordered = new List<RunbookDefinition>();
        foreach (var runbook in runbooks)
        {
            var definition = runbook.Definition;
            if (byId.TryGetValue(definition.Id, out var known))
            {
                // Two platforms of one runbook must agree on what it is, or a card would change with the device.
                if (!ReferenceEquals(known, definition) && !SameShape(known, definition))
                {
                    throw new ArgumentException($"runbook '{definition.Id}' is registered with two different definitions", nameof(runbooks));
                }
            }
            else
            {
                if (!byCommand.TryAdd(definition.Command, definition))
                {
                    throw new ArgumentException($"command '{definition.Command}' is claimed by two runbooks", nameof(runbooks));
                }

                byId.Add(definition.Id, definition);
                ordered.Add(definition);
            }

            if (!implementations.TryAdd((definition.Id, Canonical(runbook.Platform)), runbook))
            {
                throw new ArgumentException($"runbook '{definition.Id}' is registered twice for platform '{runbook.Platform}'", nameof(runbooks));
            }
        }

        Definitions = ordered.Count > 0 ? ordered : throw new ArgumentException("no runbook registered", nameof(runbooks));
    }

    /// <summary>Every runbook, in registration order (the help text lists them so).</summary>
    public IReadOnlyList<RunbookDefinition> Definitions { get; }

    /// <summary>The runbook of incidents that predate runbook ids, and of chat surfaces with a single command (a Slack slash command).</summary>
    public RunbookDefinition Default => Definitions[0];

    public RunbookDefinition? Find(string? runbookId) => runbookId is not null && byId.TryGetValue(runbookId, out var d) ? d : null;

    /// <summary>The runbook an incident names (<c>Incident.RunbookId</c>), or <see cref="Default"/> for incidents that predate runbook ids.</summary>
    public RunbookDefinition FindOrDefault(string? runbookId) => Find(runbookId) ?? Default;

    /// <summary>The runbook whose chat command word is <paramref name="command"/> ("/sshdiag", case-insensitive).</summary>
    public RunbookDefinition? ByCommand(string? command) => command is not null && byCommand.TryGetValue(command, out var d) ? d : null;

    /// <summary>The implementation of a runbook on a device's platform (aliases resolved), or null when none is registered.</summary>
    public IRunbook? For(string? runbookId, string? platform) =>
        runbookId is not null && platform is not null && implementations.TryGetValue((runbookId, Canonical(platform)), out var r) ? r : null;

    /// <summary>The platforms a runbook runs on.</summary>
    public IReadOnlyList<string> PlatformsOf(string runbookId) => [.. implementations.Keys.Where(k => k.Runbook == runbookId).Select(k => k.Platform)];

    /// <summary>A root cause by code, looked up in the runbook's catalogue first, then in every other one.</summary>
    public RunbookCause? Cause(string? runbookId, string? code) =>
        Find(runbookId)?.Cause(code) ?? Definitions.Select(d => d.Cause(code)).FirstOrDefault(c => c is not null);

    private string Canonical(string platform) => (platforms?.Find(platform)?.Id ?? platform).ToLowerInvariant();

    private static bool SameShape(RunbookDefinition a, RunbookDefinition b) =>
        a.Title == b.Title && a.Command == b.Command
        && a.Causes.Select(c => c.Code).SequenceEqual(b.Causes.Select(c => c.Code))
        && a.Steps.SequenceEqual(b.Steps);
}
