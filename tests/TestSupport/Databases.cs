using Npgsql;
using Xunit;

namespace Icp.TestSupport;

public static class Databases
{
    /// <summary>
    /// How many rows, in every table of every schema the platform created in <paramref name="database"/> (events,
    /// streams, keys, inline tables, read models, checkpoints), contain <paramref name="text"/> anywhere in their text
    /// form, ignoring case. Returns the tables that do.
    /// </summary>
    public static async Task<List<string>> TablesContainingAsync(string database, string text)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.ConnectionString(database));
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("""
            select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables
            where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        Assert.NotEmpty(tables);
        var hits = new List<string>();
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"select count(*) from {table} t where strpos(lower(t::text), lower($1)) > 0", connection)
            {
                Parameters = { new() { Value = text } },
            };
            if ((long)(await count.ExecuteScalarAsync())! > 0) hits.Add(table);
        }
        return hits;
    }
}
