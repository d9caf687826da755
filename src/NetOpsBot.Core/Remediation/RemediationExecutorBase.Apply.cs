using NetOpsBot.Core.Security;

namespace NetOpsBot.Core.Remediation;

/// <summary>A config plan: every command in order, then each read-back the platform has for them.</summary>
public abstract partial class RemediationExecutorBase
{
    private async Task<ExecutionResult> ConfigAsync(Run run, RemediationPlan plan)
    {
        var session = await OpenAsync(run).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            foreach (var command in plan.Commands)
            {
                var r = await SendAsync(run, session, command.Text, PlanCommandRole.Config).ConfigureAwait(false);
                if (r.ErrorLine is not null)
                {
                    return Fail(run, $"{run.Device.Name}: '{command.Text}' failed: {r.ErrorLine}; the remaining commands were not sent");
                }
            }

            var checks = plan.Commands.Select(ReadBackFor).OfType<ReadBack>().ToList();
            if (checks.Count == 0)
            {
                var none = $"{run.Device.Name}: {plan.Id} applied; no read-back exists for these commands";
                Report(run, none, null);
                return Result(run, true, none, false, "no read-back for this plan");
            }

            var outcomes = new List<ReadBackOutcome>();
            foreach (var check in checks)
            {
                if (check.Commands.FirstOrDefault(c => !ReadOnlyCommands.Contains(c)) is { } unknown)
                {
                    // Only the plan's own commands and the fixed read-only table ever reach a device.
                    return Fail(run, $"{run.Device.Name}: read-back '{unknown}' is not a read-only command of this platform; it was not sent");
                }

                var outputs = new List<string>();
                foreach (var read in check.Commands)
                {
                    outputs.Add((await SendAsync(run, session, read, PlanCommandRole.ReadBack).ConfigureAwait(false)).Output);
                }

                var outcome = check.Judge(outputs);
                outcomes.Add(outcome);
                Report(run, $"Verify {check.Name}: {(outcome.Verified ? "OK" : "NOT verified")} — {outcome.Evidence}", null);
            }

            var evidence = string.Join("\n", outcomes.Select(o => o.Evidence));
            if (outcomes.All(o => o.Verified))
            {
                var done = $"{run.Device.Name}: {plan.Title}: applied and verified";
                Report(run, done, null);
                return Result(run, true, done, true, evidence);
            }

            // Every command was accepted, so the device did change; what it did not do is take effect. Saying
            // "failed" would hide that the configuration moved, saying "done" would hide that nothing got better.
            var next = outcomes.FirstOrDefault(o => !o.Verified && o.NextStep is not null)?.NextStep
                ?? "re-run the diagnosis: it shows what is still wrong; re-applying the same commands will not change the read-back";
            var summary = $"{run.Device.Name}: {plan.Title}: applied, not effective: {string.Join("; ", outcomes.Where(o => !o.Verified).Select(o => o.Evidence))}";
            Report(run, summary, null);
            return Result(run, true, summary, false, evidence) with { NextStep = DeviceOutputRedactor.Redact(next) };
        }
    }
}
