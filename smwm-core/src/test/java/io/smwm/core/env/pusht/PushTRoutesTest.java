package io.smwm.core.env.pusht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pusher's ways around the block: clear of it, inside the walls, and none where the agent does not fit. */
class PushTRoutesTest {
    private static final double R = PushTPhysics.AGENT_R;
    private static final double MID = PushTPhysics.WORLD_M / 2;
    /** How far a straight move between neighbouring cell centres may come closer to the block than the centres. */
    private static final double CHORD = PushTRoutes.CELL * Math.sqrt(2) / 2;

    @Test
    void wayAroundTheBlock_keepsClearOfIt_andArrives() {
        double theta = 0.3;
        PushTRoutes routes = new PushTRoutes();
        routes.setBlock(MID, MID, theta);
        double gx = MID + 1.3, gy = MID, x = MID - 1.3, y = MID; // the block lies across the straight line
        routes.to(gx, gy);
        double walked = 0;
        int steps = 0;
        while (Math.hypot(gx - x, gy - y) > PushTRoutes.CELL && steps < 40) {
            double[] w = routes.next(x, y, 0.41);
            assertNotNull(w, "a way from " + x + ", " + y);
            for (int k = 1; k <= 10; k++) { // the straight move to the waypoint
                double px = x + (w[0] - x) * k / 10, py = y + (w[1] - y) * k / 10;
                double clearance = PushTPhysics.distanceToBlock(px, py, MID, MID, theta);
                assertTrue(clearance > R + PushTRoutes.MARGIN - CHORD, "touches the block at " + px + ", " + py);
            }
            walked += Math.hypot(w[0] - x, w[1] - y);
            x = w[0];
            y = w[1];
            steps++;
        }
        assertTrue(steps < 40, "arrived");
        assertTrue(walked > 2.6 + 0.3, "went around, walked " + walked);
        assertTrue(walked < 2.6 + Math.PI * 1.0, "not a detour, walked " + walked);
        routes.from(MID - 1.3, MID, new double[][] {{gx, gy}});
        double length = routes.length(gx, gy);
        assertTrue(length > 2.6 + 0.3 && length < walked + 2 * PushTRoutes.CELL, "way length " + length);
    }

    @Test
    void agentTouchingTheBlock_backsAwayFirst() {
        PushTRoutes routes = new PushTRoutes();
        routes.setBlock(MID, MID, 0);
        // touching the bar's top edge, goal on the other side of the block
        double x = MID, y = MID + PushTPhysics.BAR_Y + PushTPhysics.BAR_H / 2 + R;
        routes.to(MID, MID - 1.5);
        double[] w = routes.next(x, y, 0.2);
        assertNotNull(w);
        assertTrue(PushTPhysics.distanceToBlock(w[0], w[1], MID, MID, 0) > R, "moved away from the block");
    }

    @Test
    void gapNarrowerThanTheAgent_hasNoWay() {
        PushTRoutes routes = new PushTRoutes();
        double bx = PushTPhysics.BAR_W / 2 + 0.2; // the bar ends 0.2 m from the left wall: the agent is 0.3 m wide
        routes.setBlock(bx, MID, 0);
        double gx = 0.16, gy = MID + PushTPhysics.BAR_Y; // in the gap, beside the bar's end
        routes.from(MID + 1.5, MID, new double[][] {{gx, gy}});
        assertEquals(Double.POSITIVE_INFINITY, routes.length(gx, gy));
        routes.to(gx, gy);
        assertNull(routes.next(MID + 1.5, MID, 0.4), "no way into the gap");
        routes.forget();
        routes.setBlock(MID, MID, 0); // the same goal with the block away from the wall is reachable
        routes.from(MID + 1.5, MID, new double[][] {{gx, gy}});
        assertTrue(Double.isFinite(routes.length(gx, gy)));
    }
}
