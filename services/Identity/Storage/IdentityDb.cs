using Icp.Identity.Clients;
using Icp.Identity.Keys;
using Icp.Identity.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Icp.Identity.Storage;

/// <summary>The identity database: ASP.NET Core Identity's people and roles, OpenIddict's applications, authorizations
/// and tokens, the platform's client registrations and the key ring.</summary>
public sealed class IdentityDb(DbContextOptions<IdentityDb> options) : IdentityDbContext<Person, IdentityRole, string>(options)
{
    public DbSet<ClientRegistration> ClientRegistrations => Set<ClientRegistration>();
    public DbSet<SigningKeyRecord> SigningKeys => Set<SigningKeyRecord>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        builder.Entity<Person>(e => e.Property(p => p.DisplayName).HasMaxLength(200));
        builder.Entity<ClientRegistration>(e =>
        {
            e.ToTable("icp_client_registrations");
            e.HasKey(c => c.ClientId);
            e.Property(c => c.ClientId).HasMaxLength(100);
            e.Property(c => c.DisplayName).HasMaxLength(200);
            e.Property(c => c.Source).HasMaxLength(100);
        });
        builder.Entity<SigningKeyRecord>(e =>
        {
            e.ToTable("icp_signing_keys");
            e.HasKey(k => k.KeyId);
            e.Property(k => k.KeyId).HasMaxLength(64);
            e.Property(k => k.Use).HasMaxLength(3);
            e.Property(k => k.Algorithm).HasMaxLength(16);
        });
    }
}
