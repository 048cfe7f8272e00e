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
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException && Failures.IsTransient(e)),
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
        })
        .Build();
}

/// <summary>Tells a failure that trying again later may cure (the database or the connection) from one that the data causes.</summary>
public static class Failures
{
    public static bool IsTransient(Exception e, NpgsqlConnection? connection = null) => e switch
    {
        _ when connection is not null && connection.State is not System.Data.ConnectionState.Open => true,
        OperationCanceledException or TimeoutException or IOException or System.Net.Sockets.SocketException => true,
        AggregateException { InnerExceptions.Count: 1 } a => IsTransient(a.InnerExceptions[0], connection),
        PostgresException pg => pg.IsTransient || pg.SqlState is [ '0', '8', .. ] or [ '5', '3', .. ] or [ '5', '7', 'P', .. ]
            or [ '5', '8', .. ] or "40001" or "40P01" or "55P03",
        // A failure of the connection itself rather than an error reported by the server.
        NpgsqlException => true,
        // A wrapper (Marten's command exception, say) is as transient as what it wraps.
        { InnerException: { } inner } => IsTransient(inner, connection),
        _ => false,
    };
}
