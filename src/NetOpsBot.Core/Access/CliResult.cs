namespace NetOpsBot.Core.Access;

/// <summary>
/// One command's answer. <see cref="Output"/> has echo, prompts, pager artefacts and asynchronous log lines
/// removed; <see cref="Raw"/> is what the device sent (evidence). <see cref="ErrorLine"/> is set when the
/// device printed an <c>Error:</c> line (unknown command, wrong parameter).
/// </summary>
public sealed record CliResult(string Command, string Output, string Raw, TimeSpan Duration, string? ErrorLine);
