namespace NetOpsBot.Core.Access;

/// <summary>
/// A CLI session that can answer a command's questions (a port: a platform's remediation executor runs on it,
/// the SSH connector implements it in the device's dialect). The opener hands it over with paging already off
/// (the dialect's paging command sent), so the executor sends only plan commands.
/// </summary>
public interface IConfirmingCliSession : IAsyncDisposable
{
    /// <summary>
    /// Sends one command and answers every [Y/N] question it asks with <paramref name="answer"/>
    /// ("y" or "n"); null declines each question and reports it as the result's error line.
    /// A session the device closes after an explicit answer (an approved <c>reboot</c>) is a success.
    /// </summary>
    Task<CliResult> RunAsync(string command, TimeSpan timeout, string? answer, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="RunAsync"/>, but answers each question by its text: <paramref name="answerFor"/>
    /// returns "y", "n" or null (decline). A reboot without save needs "n" to the save question and "y"
    /// to the reboot question. A connector that can only answer a command's questions alike must throw
    /// <see cref="NotSupportedException"/> BEFORE sending anything.
    /// </summary>
    /// <exception cref="NotSupportedException">The connector answers every question of a command alike.</exception>
    Task<CliResult> RunAnsweringEachAsync(string command, TimeSpan timeout, Func<string, string?> answerFor, CancellationToken cancellationToken);

    /// <summary>
    /// How the session reached the device (SSH on a port, or the console server when no SSH port answers);
    /// null when the connector does not say. The thread names it: a fix that restores SSH runs without it.
    /// </summary>
    AccessPath? Path => null;
}

