using NetOpsBot.Core.Access;
using NetOpsBot.Core.Security;

namespace NetOpsBot.Core.Remediation;

/// <summary>A reboot plan: the optional save, the reboot (a dropped session is expected), then the recovery watch.</summary>
public abstract partial class RemediationExecutorBase
{
    private async Task<ExecutionResult> RebootAsync(Run run, RemediationPlan plan)
    {
        var words = Wording;
        var session = await OpenAsync(run).ConfigureAwait(false);
        var rebootSent = false;
        await using (session.ConfigureAwait(false))
        {
            foreach (var command in plan.Commands)
            {
                var text = command.Text;
                if (text == SaveCommand && !run.Options.SaveBeforeReboot)
                {
                    Report(run, words.SaveSkipped, null);
                    continue;
                }

                if (text == RebootCommand)
                {
                    try
                    {
                        var r = await SendAsync(run, session, text, PlanCommandRole.Reboot).ConfigureAwait(false);
                        if (r.ErrorLine is not null)
                        {
                            return Fail(run, $"{run.Device.Name}: {words.Verb} not performed: {r.ErrorLine}");
                        }

                        Report(run, $"Sent {words.Verb}; session closed by the {words.Device}", null);
                    }
                    catch (NotSupportedException ex)
                    {
                        // Thrown by the connector before anything was sent: the device was not touched.
                        return Fail(run, $"{run.Device.Name}: {words.Verb} not sent: {words.CannotAnswerEach} ({ex.Message})");
                    }
                    catch (Exception ex) when (ex is DeviceAccessException or TimeoutException or IOException)
                    {
                        // The device may drop the session at any point once it starts rebooting; the watch decides.
                        Report(run, $"Sent {words.Verb}; the session ended: {RecoveryWatch.Describe(ex)}", null);
                    }

                    rebootSent = true;
                    continue;
                }

                var role = text == SaveCommand ? PlanCommandRole.Save : PlanCommandRole.BeforeReboot;
                var result = await SendAsync(run, session, text, role).ConfigureAwait(false);
                if (result.ErrorLine is not null)
                {
                    return Fail(run, $"{run.Device.Name}: '{text}' failed: {result.ErrorLine}; the {words.Device} was not {words.Done}");
                }
            }
        }

        if (!rebootSent)
        {
            return Fail(run, $"{run.Device.Name}: {plan.Id} has no {words.Verb} command; nothing was {words.Done}");
        }

        var (recovery, evidence) = await WatchAsync(run, expectDown: true).ConfigureAwait(false);
        var ok = recovery.CameBack && recovery.SshPortListening && recovery.SshLoginWorks;
        return new ExecutionResult(ok, recovery.Summary, [.. run.Commands], ok, DeviceOutputRedactor.Redact(evidence), recovery);
    }
}
