package io.smwm.data.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smwm.core.stats.LatentDiagnostics;
import org.junit.jupiter.api.Test;

class RunDiagnosticsTest {

    @Test
    void monomialCount_isThePolynomialsColumnCount() {
        double[][] x = new double[4][5];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 5; j++) {
                x[i][j] = i * j + j;
            }
        }
        for (int degree = 1; degree <= 3; degree++) {
            assertEquals(LatentDiagnostics.polynomialFeatures(x, degree)[0].length,
                    RunDiagnostics.monomialCount(5, degree), "degree " + degree);
        }
        assertEquals(2299, RunDiagnostics.monomialCount(22, 3));
    }

    @Test
    void attributionDegree_dropsUntilTheRowsCanFitThePolynomial() {
        assertEquals(3, RunDiagnostics.attributionDegree(3000, 10), "285 terms, 3000 rows");
        assertEquals(2, RunDiagnostics.attributionDegree(3000, 22), "Cube's state: 275 terms at degree 2");
        assertEquals(1, RunDiagnostics.attributionDegree(200, 22));
        assertEquals(1, RunDiagnostics.attributionDegree(10, 22), "never below linear");
    }
}
