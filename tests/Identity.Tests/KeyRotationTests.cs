using System.Net;
using Icp.Identity.Keys;
using Icp.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace Icp.Identity.Tests;

public sealed class KeyRotationTests(IdentityHost host) : IClassFixture<IdentityHost>
{
    [Fact]
    public async Task Rotation_keeps_old_tokens_valid_until_their_key_retires()
    {
        var secret = await host.CreateClientAsync("epr-rotation", ["feeds:write"], source: "community-health-epr");
        var before = await host.AccessTokenAsync("epr-rotation", secret, "feeds:write");
        var oldKid = new JsonWebToken(before).Kid;

        var ring = await host.Admin.PostAsync("/api/v1/admin/identity/signing-keys/rotate", null).ExpectAsync(HttpStatusCode.OK);
        var newKid = ring.GetProperty("current").GetString();

        Assert.NotEqual(oldKid, newKid);
        var after = await host.AccessTokenAsync("epr-rotation", secret, "feeds:write");
        Assert.Equal(newKid, new JsonWebToken(after).Kid);
        Assert.Equal(new[] { newKid, oldKid }.Order(), (await host.JwksAsync()).Keys.Select(k => k.Kid).Order());
        var old = await host.ValidateAsync(before);
        Assert.True(old.IsValid, old.Exception?.Message);
        Assert.True((await host.ValidateAsync(after)).IsValid);

        // Retention: the longest token lifetime (refresh tokens, 8 h by default) plus 5 minutes of clock skew.
        host.Clock.Offset = TimeSpan.FromHours(8) + TimeSpan.FromMinutes(4);
        await host.Services.GetRequiredService<SigningKeyStore>().RefreshAsync(); // what the periodic refresh does
        Assert.Equal(2, (await host.JwksAsync()).Keys.Count);

        host.Clock.Offset = TimeSpan.FromHours(8) + TimeSpan.FromMinutes(6);
        await host.Services.GetRequiredService<SigningKeyStore>().RefreshAsync();

        Assert.Equal([newKid], (await host.JwksAsync()).Keys.Select(k => k.Kid));
        Assert.False((await host.ValidateAsync(before)).IsValid);
        Assert.True((await host.ValidateAsync(after)).IsValid);
        Assert.Equal(newKid, new JsonWebToken(await host.AccessTokenAsync("epr-rotation", secret, "feeds:write")).Kid);
    }

    [Fact]
    public async Task Private_keys_are_stored_encrypted()
    {
        var ring = await host.Services.GetRequiredService<SigningKeyStore>().RefreshAsync();
        var privateExponent = ring.Current.Rsa.ExportParameters(includePrivateParameters: true).D!;
        await using var db = Npgsql.NpgsqlDataSource.Create(TestInfrastructure.ConnectionString(host.Database));
        await using var command = db.CreateCommand("""select "ProtectedKey" from icp_signing_keys where "KeyId" = $1""");
        command.Parameters.Add(new() { Value = ring.Current.KeyId });
        var stored = (byte[])(await command.ExecuteScalarAsync())!;

        Assert.True(stored.Length > privateExponent.Length);
        Assert.Equal(-1, stored.AsSpan().IndexOf(privateExponent.AsSpan(0, 32)));
    }
}
