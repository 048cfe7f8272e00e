namespace Icp.Statistics.Tests;

public class BenjaminiHochbergTests
{
    [Fact]
    public void Hand_example()
    {
        // p = 0.01, 0.04, 0.03, 0.005; m = 4. Ascending: 0.005 (i=1), 0.01 (2), 0.03 (3), 0.04 (4).
        // (m/i)p: 4*0.005 = 0.02, 2*0.01 = 0.02, (4/3)*0.03 = 0.04, 1*0.04 = 0.04.
        // min over j >= i: 0.02, 0.02, 0.04, 0.04 -> back in input order: 0.02, 0.04, 0.04, 0.02.
        double?[] adj = MultipleTesting.BenjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
        Assert.Equal(0.02, adj[0]!.Value, 1e-15);
        Assert.Equal(0.04, adj[1]!.Value, 1e-15);
        Assert.Equal(0.04, adj[2]!.Value, 1e-15);
        Assert.Equal(0.02, adj[3]!.Value, 1e-15);
    }

    [Fact]
    public void Step_up_minimum_carries_down()
    {
        // p = 0.01, 0.02, 0.025, 0.5: (m/i)p = 0.04, 0.04, 0.0333.., 0.5;
        // min over j >= i: 0.0333.. for the first three (the third's value carries down), 0.5 for the last.
        double?[] adj = MultipleTesting.BenjaminiHochberg([0.01, 0.02, 0.025, 0.5]);
        Assert.Equal(0.1 / 3.0, adj[0]!.Value, 1e-15);
        Assert.Equal(0.1 / 3.0, adj[1]!.Value, 1e-15);
        Assert.Equal(0.1 / 3.0, adj[2]!.Value, 1e-15);
        Assert.Equal(0.5, adj[3]!.Value, 1e-15);
    }

    [Fact]
    public void Ties_nulls_and_a_family_of_one()
    {
        // ties: 0.03, 0.03, 0.5 -> (3/1)0.03 = 0.09, (3/2)0.03 = 0.045, 0.5 -> both tied get 0.045.
        double?[] tied = MultipleTesting.BenjaminiHochberg([0.03, 0.03, 0.5]);
        Assert.Equal(0.045, tied[0]!.Value, 1e-15);
        Assert.Equal(0.045, tied[1]!.Value, 1e-15);
        Assert.Equal(0.5, tied[2]!.Value, 1e-15);

        // null is left out: m = 2; 0.2 -> 2*0.2 = 0.4; 0.6 -> 0.6.
        double?[] withNull = MultipleTesting.BenjaminiHochberg([0.2, null, 0.6]);
        Assert.Equal(0.4, withNull[0]!.Value, 1e-15);
        Assert.Null(withNull[1]);
        Assert.Equal(0.6, withNull[2]!.Value, 1e-15);

        Assert.Equal(0.3, MultipleTesting.BenjaminiHochberg([0.3])[0]);
        Assert.Empty(MultipleTesting.BenjaminiHochberg(Array.Empty<double?>()));
    }
}
