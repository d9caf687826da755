using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Tests.Fakes;

/// <summary>
/// An IRemediationRequestStore in memory for Core's unit tests: one lock stands for the row lock, each click is judged
/// under it and audited like the EF store does (<see cref="RemediationAuditEntry.ForClick"/>). Execution claims and
/// sweeps are minimal (storage tests cover them).
/// </summary>
internal sealed class InMemoryRemediationRequestStore : IRemediationRequestStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<RemediationRequestId, RemediationRequest> _requests = [];
    private readonly List<RemediationAuditEntry> _audit = [];

    public IReadOnlyList<RemediationAuditEntry> Audit
    {
        get
        {
            lock (_lock)
            {
                return [.. _audit];
            }
        }
    }

    public Task<RemediationRequest> CreateAsync(RemediationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            if (_requests.Values.FirstOrDefault(r => r.IncidentId == request.IncidentId && r.PlanId == request.PlanId && !r.IsFinal) is { } open)
            {
                return Task.FromResult(open);
            }

            _requests[request.Id] = request;
            _audit.Add(RemediationAuditEntry.For(request, RemediationAuditAction.Requested, request.State.ToString(), request.Requester, request.Channel, request.CreatedAt));
            return Task.FromResult(request);
        }
    }

    public Task<RemediationRequest?> GetAsync(RemediationRequestId id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_requests.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<RemediationRequest>> ListForIncidentAsync(IncidentId incidentId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RemediationRequest>>([.. _requests.Values.Where(r => r.IncidentId == incidentId).OrderBy(r => r.CreatedAt)]);
        }
    }

    public Task<ClickDecision?> TryRecordClickAsync(RemediationRequestId id, ChatChannel channel, Func<RemediationRequest, ClickDecision> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decide);
        lock (_lock)
        {
            if (!_requests.TryGetValue(id, out var current))
            {
                return Task.FromResult<ClickDecision?>(null);
            }

            var decision = decide(current);
            if (decision.Changed)
            {
                _requests[id] = decision.Request with { Version = current.Version + 1 };
            }

            _audit.Add(RemediationAuditEntry.ForClick(decision, channel, DateTimeOffset.UnixEpoch));
            return Task.FromResult<ClickDecision?>(decision);
        }
    }

    public Task<bool> TryClaimExecutionAsync(RemediationRequestId id, IncidentLease lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (!_requests.TryGetValue(id, out var r) || r.State != RemediationRequestState.Approved)
            {
                return Task.FromResult(false);
            }

            _requests[id] = r with { State = RemediationRequestState.Executing, ExecutionOwner = lease.OwnerInstance, ExecutionStartedAt = now };
            return Task.FromResult(true);
        }
    }

    public Task<bool> RenewExecutionLeaseAsync(RemediationRequestId id, IncidentLease lease, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<bool> CompleteExecutionAsync(RemediationRequestId id, string owner, RemediationRequestState outcome, string summary, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_requests.TryGetValue(id, out var r) || r.State != RemediationRequestState.Executing)
            {
                return Task.FromResult(false);
            }

            _requests[id] = r with { State = outcome, ResultSummary = summary, FinishedAt = now };
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<RemediationRequest>> MarkInterruptedExecutionsAsync(ExecutionSweep sweep, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RemediationRequest>>([]);

    public Task<IReadOnlyList<RemediationRequest>> CancelOpenForDeviceAsync(DeviceName device, RemediationRequestId? except, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RemediationRequest>>([]);

    public Task<IReadOnlyList<RemediationRequest>> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RemediationRequest>>([]);
}
