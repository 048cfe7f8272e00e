using System.Diagnostics;
using Icp.EventStore;
using Microsoft.AspNetCore.Http;

namespace Icp.Hosting;

/// <summary>Builds event metadata from the current request and trace: correlation, trace context, principal, source system.</summary>
public sealed class EventMetadataFactory(IHttpContextAccessor http)
{
    public const string CorrelationHeader = "X-Correlation-Id";
    public const string PrincipalHeader = "X-Icp-Principal";

    public EventMetadata Create(string? sourceSystem = null, string? causationId = null)
    {
        var context = http.HttpContext;
        var activity = Activity.Current;
        var correlation = context?.Request.Headers[CorrelationHeader].FirstOrDefault();
        return new EventMetadata
        {
            CorrelationId = string.IsNullOrWhiteSpace(correlation) ? activity?.TraceId.ToString() ?? Guid.NewGuid().ToString("N") : correlation,
            CausationId = causationId ?? context?.TraceIdentifier,
            TraceParent = activity?.Id,
            TraceState = activity?.TraceStateString,
            Principal = context?.User.Identity?.Name ?? context?.Request.Headers[PrincipalHeader].FirstOrDefault() ?? "anonymous",
            SourceSystem = sourceSystem,
        };
    }
}
