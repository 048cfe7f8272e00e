using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Icp.Hosting.Security;

/// <summary>
/// The issuer's discovery document and signing keys, as JwtBearer validates tokens against them. The library's own
/// manager refreshes in the background and, once it has refreshed on request, at most every five minutes: after a key
/// rotation a process that had read the keys recently refused tokens signed with the new key for up to five minutes,
/// and every process refused the first one. Here a token naming a key not in the copy in force makes the validation's
/// retry wait for a fresh copy (one fetch at a time, at most one per <see cref="BaseConfigurationManager.RefreshInterval"/>,
/// so a flood of tokens with made-up key ids costs at most one fetch a second). A failed fetch keeps the copy in force.
/// A key the issuer has retired is refused from the first fetch that lacks it: no earlier copy is consulted.
/// </summary>
public sealed class IssuerConfiguration : BaseConfigurationManager, IConfigurationManager<OpenIdConnectConfiguration>
{
    private readonly IDocumentRetriever _retriever;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private volatile OpenIdConnectConfiguration? _current;
    private long _fetchedAtTicks = DateTimeOffset.MinValue.UtcTicks;
    private volatile bool _refreshRequested;

    public IssuerConfiguration(string metadataAddress, IDocumentRetriever retriever, TimeProvider time)
    {
        MetadataAddress = metadataAddress;
        _retriever = retriever;
        _time = time;
        RefreshInterval = MinimumRefreshInterval;
        AutomaticRefreshInterval = TimeSpan.FromHours(1);
        // The library would otherwise go on validating against an earlier copy (its "last known good", for an hour)
        // when the current one fails: a retired signing key would stay trusted.
        UseLastKnownGoodConfiguration = false;
    }

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        if (_current is { } current && !Due()) return current;
        await _fetch.WaitAsync(cancel);
        try
        {
            if (_current is { } fetchedMeanwhile && !Due()) return fetchedMeanwhile;
            try
            {
                _current = await OpenIdConnectConfigurationRetriever.GetAsync(MetadataAddress, _retriever, cancel);
            }
            catch (Exception) when (_current is not null && !cancel.IsCancellationRequested)
            {
                // The issuer is unreachable for now: the keys in force stay trusted; try again after RefreshInterval.
            }
            Volatile.Write(ref _fetchedAtTicks, _time.GetUtcNow().UtcTicks);
            _refreshRequested = false;
            return _current!;
        }
        finally
        {
            _fetch.Release();
        }
    }

    public override async Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) =>
        await GetConfigurationAsync(cancel);

    /// <summary>Asked for when a token names a key the copy in force lacks: the next read fetches again.</summary>
    public override void RequestRefresh() => _refreshRequested = true;

    private bool Due()
    {
        var age = _time.GetUtcNow() - new DateTimeOffset(Volatile.Read(ref _fetchedAtTicks), TimeSpan.Zero);
        return age >= AutomaticRefreshInterval || (_refreshRequested && age >= RefreshInterval);
    }
}
