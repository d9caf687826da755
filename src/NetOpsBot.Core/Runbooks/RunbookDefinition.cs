using System.Text.RegularExpressions;
using NetOpsBot.Core.Diagnosis;

namespace NetOpsBot.Core.Runbooks;

/// <summary>
/// What a runbook is, whatever the platform it runs on: its stable id (persisted on incidents), its title, the chat
/// command word that starts it, its root-cause catalogue and its steps. One definition is shared by every platform's
/// implementation of the runbook (<see cref="IRunbook"/>).
/// </summary>
public sealed partial record RunbookDefinition
{
    public RunbookDefinition(string id, string title, string command, string purpose, IReadOnlyList<RunbookCause> causes, IReadOnlyList<StepDescriptor> steps)
    {
        ArgumentNullException.ThrowIfNull(causes);
        ArgumentNullException.ThrowIfNull(steps);
        if (!IdPattern().IsMatch(id ?? string.Empty))
        {
            throw new ArgumentException($"runbook id '{id}' is not kebab-case", nameof(id));
        }

        // The command word is the first token of a chat message the parser accepts: keep it a plain slash word so
        // it can never carry anything the parser would have to interpret.
        if (!CommandPattern().IsMatch(command ?? string.Empty))
        {
            throw new ArgumentException($"command '{command}' of runbook '{id}' is not a '/word'", nameof(command));
        }

        if (causes.Count == 0 || causes.Select(c => c.Code).Distinct(StringComparer.Ordinal).Count() != causes.Count)
        {
            throw new ArgumentException($"runbook '{id}' needs a catalogue of distinct root causes", nameof(causes));
        }

        // Core and every surface decide "no fault" by this one code, so each runbook must conclude it the same way.
        var noFault = causes.Where(c => c.Severity == RootCauseSeverity.NoFault).ToList();
        if (noFault.Count != 1 || !noFault[0].Cause.IsHealthy || causes.Count(c => c.Cause.IsHealthy) != 1)
        {
            throw new ArgumentException($"runbook '{id}' needs exactly one no-fault cause, coded '{RootCause.HealthyCode}'", nameof(causes));
        }

        if (steps.Count == 0 || steps.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count() != steps.Count)
        {
            throw new ArgumentException($"runbook '{id}' needs distinct step ids", nameof(steps));
        }

        Id = id!;
        Title = string.IsNullOrWhiteSpace(title) ? throw new ArgumentException("a runbook needs a title", nameof(title)) : title;
        Command = command!;
        Purpose = purpose ?? string.Empty;
        Causes = causes;
        Steps = steps;
    }

    /// <summary>Stable kebab-case id ("ssh-unreachable"): stored on incidents, never renamed.</summary>
    public string Id { get; }

    /// <summary>Short title for headers ("SSH diagnosis").</summary>
    public string Title { get; }

    /// <summary>The chat command word, with its slash ("/sshdiag").</summary>
    public string Command { get; }

    /// <summary>What the command does, for the help text ("diagnoses why SSH to a device fails ...").</summary>
    public string Purpose { get; }

    public IReadOnlyList<RunbookCause> Causes { get; }

    /// <summary>How the problem was reported, after the device's name in a postmortem ("was reported unreachable over SSH").</summary>
    public string Symptom { get; init; } = "needed a diagnosis";

    public IReadOnlyList<StepDescriptor> Steps { get; }

    /// <summary>What to check next when a diagnosis finds no fault on the device.</summary>
    public IReadOnlyList<string> NoFaultNextChecks { get; init; } = [];

    /// <summary>Short names of fixes for headlines, keyed by plan id ("return-route-missing.default-route" → "default route").</summary>
    public IReadOnlyDictionary<string, string> FixNames { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The command word without its slash, as Teams' manifest inserts it ("sshdiag").</summary>
    public string CommandWord => Command[1..];

    /// <summary>The catalogue entry for a persisted code, or null when this runbook never concludes it.</summary>
    public RunbookCause? Cause(string? code) => Causes.FirstOrDefault(c => string.Equals(c.Code, code, StringComparison.Ordinal));

    [GeneratedRegex("^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^/[a-z][a-z0-9]{1,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex CommandPattern();
}
