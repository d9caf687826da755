using NetOpsBot.Core.Diagnosis;

namespace NetOpsBot.Core.Runbooks;

/// <summary>
/// One runbook on one device platform (issue 16, seam 1): <c>ssh-unreachable</c> × <c>huawei-vrp</c>,
/// <c>ssh-unreachable</c> × <c>cisco-iosxe</c>. Registered in <see cref="RunbookRegistry"/>.
/// </summary>
public interface IRunbook
{
    RunbookDefinition Definition { get; }

    /// <summary>The platform id this implementation runs on (an <see cref="Platforms.IDevicePlatform.Id"/>).</summary>
    string Platform { get; }

    /// <summary>Runs the runbook on a device of <see cref="Platform"/>.</summary>
    IDiagnosisRunner Runner { get; }
}

/// <summary>A runbook implementation as data: a definition, a platform and the runner that executes it there.</summary>
public sealed record RunbookImplementation(RunbookDefinition Definition, string Platform, IDiagnosisRunner Runner) : IRunbook;
