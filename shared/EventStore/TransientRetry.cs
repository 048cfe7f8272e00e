using Npgsql;
using Polly;
using Polly.Retry;

namespace Icp.EventStore;

/// <summary>Retries database work that failed for a transient reason, with jittered exponential back-off.</summary>
public static class TransientRetry
{
    public static ResiliencePipeline Database { get; } = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(e => e.IsTransient),
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
        })
        .Build();
}
