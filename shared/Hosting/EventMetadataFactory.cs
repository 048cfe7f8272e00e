using System.Diagnostics;
using Icp.EventStore;
using Icp.Hosting.Security;
using Microsoft.AspNetCore.Http;

namespace Icp.Hosting;

/// <summary>Builds event metadata from the current request and trace: correlation, trace context, the authenticated
/// principal, source system.</summary>
public sealed class EventMetadataFactory(IHttpContextAccessor http)
{
    public const string CorrelationHeader = "X-Correlation-Id";

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
            // From the validated token only: a header naming a principal is never believed.
            Principal = context is null ? "system" : context.Caller().Principal,
            SourceSystem = sourceSystem,
        };
    }
}
