using System.Text.Json;
using Icp.Contracts;
using JasperFx;
using JasperFx.Events;
using JasperFx.OpenTelemetry;
using Marten;
using Weasel.Core;

namespace Icp.Hosting;

/// <summary>How every write service's Marten store is set up.</summary>
public static class MartenSetup
{
    public static StoreOptions StoreOptions()
    {
        var options = new StoreOptions();
        options.Events.StreamIdentity = StreamIdentity.AsString;
        options.Events.AppendMode = EventAppendMode.Quick;
        // This process's own appends wake the daemon at once (AppendWakeup); the poll, for other processes', is 250 ms
        // when idle instead of 1 s.
        options.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(250);
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.Events.MetadataConfig.HeadersEnabled = true;
        options.Events.MetadataConfig.UserNameEnabled = true;
        // Stored under the contract's own name (e.g. IndicatorValuesRevisedV2), the name the catalogue and consumers use.
        foreach (var type in IntegrationEventTypes.All) options.Events.MapEventType(type, type.Name);
        options.UseSystemTextJsonForSerialization(new JsonSerializerOptions(ServiceDefaults.Json), EnumStorage.AsString,
            Casing.CamelCase);
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        options.DatabaseSchemaName = "public";
        options.Projections.Errors.SkipSerializationErrors = true;
        options.Projections.Errors.SkipUnknownEvents = true;
        options.Projections.Errors.SkipApplyErrors = true;
        options.DisableNpgsqlLogging = true;
        options.OpenTelemetry.TrackConnections = TrackLevel.Normal;
        options.OpenTelemetry.TrackEventCounters();
        options.ApplicationAssembly = typeof(MartenSetup).Assembly;
        return options;
    }
}
