package io.smwm.core.env.pusht;

import java.util.Arrays;

/**
 * Shortest ways for the Push-T agent around the block, used by {@link PushTPusherPolicy} to go around the block
 * without touching it. All lengths in metres.
 *
 * <p>The arena is a grid of {@value #CELL} m cells of agent-centre positions. A cell's room is how far its centre
 * is from being blocked: the smaller of (distance to the block − agent radius − {@value #MARGIN}) and (distance to
 * the nearest position the walls allow the agent centre); a cell with room ≥ 0 is free. A move between
 * 8-neighbour cells is allowed into a free cell, or into a cell with more room than the one left (so an agent
 * that touches the block or a wall can back away but never moves closer to it), or into a goal cell (a goal is a
 * point, and its cell's centre may be a little too close to the block). Way lengths are Dijkstra distances over
 * these moves, from the agent's cell to goal cells ({@link #from}) or from every cell to one goal ({@link #to}).
 * A search runs only as far as the cells asked about need, and resumes when asked about more; it is kept until
 * the block moves by more than {@value #POSE_TOL} m (or turns by as much at its farthest corner) or another search
 * is started.
 */
final class PushTRoutes {
    /** Cell side, m. */
    static final double CELL = 0.08;
    /** Clearance kept from the block beyond the agent radius, m. */
    static final double MARGIN = 0.06;
    /** Block movement below which the grid is kept, m. */
    static final double POSE_TOL = 0.01;
    /** Cells per side. */
    static final int N = (int) Math.ceil(PushTPhysics.WORLD_M / CELL);
    private static final double R = PushTPhysics.AGENT_R;
    private static final double LO = R;
    private static final double HI = PushTPhysics.WORLD_M - R;
    /** Length of a move to each of the 8 neighbours. */
    private static final double[] STEP = {CELL, CELL, CELL, CELL, CELL * Math.sqrt(2), CELL * Math.sqrt(2),
        CELL * Math.sqrt(2), CELL * Math.sqrt(2)};
    /** NEIGHBOURS[8·c + k]: cell c's k-th neighbour, -1 beyond the grid. */
    private static final int[] NEIGHBOURS = new int[8 * N * N];
    /** Each cell's room from the walls alone. */
    private static final double[] WALL_ROOM = new double[N * N];
    /** Block reach from its centre of mass (farthest corner), m. */
    private static final double REACH;
    /** Half side of the square around the block's centre of mass outside which the block blocks no cell, m. */
    private static final double BLOCK_RANGE;

    static {
        double[][] o = PushTPhysics.outline(0, 0, 0, 1);
        double reach = 0;
        for (int i = 0; i < o[0].length; i++) {
            reach = Math.max(reach, Math.hypot(o[0][i], o[1][i]));
        }
        REACH = reach;
        BLOCK_RANGE = reach + R + MARGIN + CELL * Math.sqrt(2);
        int[] dx = {1, -1, 0, 0, 1, 1, -1, -1};
        int[] dy = {0, 0, 1, -1, 1, -1, 1, -1};
        for (int i = 0; i < N; i++) {
            double cx = (i + 0.5) * CELL;
            for (int j = 0; j < N; j++) {
                double cy = (j + 0.5) * CELL;
                WALL_ROOM[i * N + j] = Math.min(Math.min(cx - LO, HI - cx), Math.min(cy - LO, HI - cy));
                for (int k = 0; k < 8; k++) {
                    int ni = i + dx[k], nj = j + dy[k];
                    NEIGHBOURS[8 * (i * N + j) + k] = ni < 0 || nj < 0 || ni >= N || nj >= N ? -1 : ni * N + nj;
                }
            }
        }
    }

    private final double[] room = new double[N * N];
    private final double[] dist = new double[N * N];
    private final boolean[] settled = new boolean[N * N];
    /** goal[c] == search: c is a goal cell of the current search. */
    private final int[] goal = new int[N * N];
    private int search;
    private final Heap heap = new Heap(8 * N * N);
    private double bx = Double.NaN;
    private double by;
    private double bth;
    /** The cell the current search started from; -1: no search. */
    private int anchor = -1;
    private boolean forward;

    /** Drops the grid and the search, so that the next {@link #setBlock} rebuilds the grid. */
    void forget() {
        bx = Double.NaN;
        anchor = -1;
    }

    /** Sets the block pose; rebuilds the grid (and drops the search) when it moved more than POSE_TOL. */
    void setBlock(double x, double y, double theta) {
        if (!Double.isNaN(bx) && Math.hypot(x - bx, y - by) < POSE_TOL
                && REACH * Math.abs(PushTPhysics.wrap(theta - bth)) < POSE_TOL) {
            return;
        }
        bx = x;
        by = y;
        bth = theta;
        anchor = -1;
        System.arraycopy(WALL_ROOM, 0, room, 0, room.length);
        double c = Math.cos(theta), sn = Math.sin(theta);
        int i0 = Math.max(0, (int) Math.floor((x - BLOCK_RANGE) / CELL));
        int i1 = Math.min(N - 1, (int) Math.floor((x + BLOCK_RANGE) / CELL));
        int j0 = Math.max(0, (int) Math.floor((y - BLOCK_RANGE) / CELL));
        int j1 = Math.min(N - 1, (int) Math.floor((y + BLOCK_RANGE) / CELL));
        for (int i = i0; i <= i1; i++) {
            double cx = (i + 0.5) * CELL;
            for (int j = j0; j <= j1; j++) {
                double cy = (j + 0.5) * CELL;
                double block = PushTPhysics.distanceToBlock(cx, cy, x, y, c, sn) - R - MARGIN;
                room[i * N + j] = Math.min(room[i * N + j], block);
            }
        }
    }

    /** Starts a search of the ways from the agent at (x, y) to the goals {x, y}. */
    void from(double x, double y, double[][] goals) {
        start(cell(x, y), true);
        for (double[] g : goals) {
            goal[cell(g[0], g[1])] = search;
        }
    }

    /** The way length from {@link #from}'s agent to the goal (x, y); infinite when there is none. */
    double length(double x, double y) {
        int c = cell(x, y);
        settle(c);
        return dist[c];
    }

    /** Starts a search of the ways from every cell to (x, y), unless it is the current one. */
    void to(double x, double y) {
        int c = cell(x, y);
        if (anchor != c || forward) {
            start(c, false);
            goal[c] = search;
        }
    }

    /**
     * After {@link #to}: the centre of the cell about {@code stride} m down the way from (x, y) toward the goal
     * (the goal cell's centre at most), or null when there is no way from (x, y).
     */
    double[] next(double x, double y, double stride) {
        int c = cell(x, y);
        settle(c);
        if (Double.isInfinite(dist[c])) {
            return null;
        }
        int steps = Math.max(1, (int) Math.round(stride / CELL));
        for (int s = 0; s < steps && c != anchor; s++) {
            int best = -1;
            double bestDist = dist[c];
            for (int k = 0; k < 8; k++) {
                int n = NEIGHBOURS[8 * c + k];
                if (n >= 0 && allowed(c, n) && dist[n] < bestDist) {
                    best = n;
                    bestDist = dist[n];
                }
            }
            if (best < 0) {
                break;
            }
            c = best;
        }
        return new double[] {(c / N + 0.5) * CELL, (c % N + 0.5) * CELL};
    }

    private void start(int cell, boolean fromCell) {
        anchor = cell;
        forward = fromCell;
        search++;
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        Arrays.fill(settled, false);
        dist[cell] = 0;
        heap.clear();
        heap.push(0, cell);
    }

    /** Runs the current search until cell c's way length is final (or there is nothing left to search). */
    private void settle(int c) {
        while (!settled[c] && !heap.isEmpty()) {
            double d = heap.topKey();
            int a = heap.pop();
            if (settled[a] || d > dist[a]) {
                continue;
            }
            settled[a] = true;
            for (int k = 0; k < 8; k++) {
                int n = NEIGHBOURS[8 * a + k];
                if (n < 0 || settled[n] || !(forward ? allowed(a, n) : allowed(n, a))) {
                    continue;
                }
                double nd = d + STEP[k];
                if (nd < dist[n]) {
                    dist[n] = nd;
                    heap.push(nd, n);
                }
            }
        }
    }

    /** Whether the agent may move from cell a to its neighbour b. */
    private boolean allowed(int a, int b) {
        return room[b] >= 0 || room[b] > room[a] || goal[b] == search;
    }

    private static int cell(double x, double y) {
        int i = Math.max(0, Math.min(N - 1, (int) Math.floor(x / CELL)));
        int j = Math.max(0, Math.min(N - 1, (int) Math.floor(y / CELL)));
        return i * N + j;
    }

    /** A binary min-heap of (key, cell) pairs. */
    private static final class Heap {
        private final double[] keys;
        private final int[] cells;
        private int size;

        Heap(int capacity) {
            keys = new double[capacity];
            cells = new int[capacity];
        }

        void clear() {
            size = 0;
        }

        boolean isEmpty() {
            return size == 0;
        }

        double topKey() {
            return keys[0];
        }

        void push(double key, int cell) {
            int i = size++;
            while (i > 0) {
                int p = (i - 1) / 2;
                if (keys[p] <= key) {
                    break;
                }
                keys[i] = keys[p];
                cells[i] = cells[p];
                i = p;
            }
            keys[i] = key;
            cells[i] = cell;
        }

        int pop() {
            int top = cells[0];
            double key = keys[--size];
            int cell = cells[size];
            int i = 0;
            while (true) {
                int l = 2 * i + 1;
                if (l >= size) {
                    break;
                }
                int m = l + 1 < size && keys[l + 1] < keys[l] ? l + 1 : l;
                if (keys[m] >= key) {
                    break;
                }
                keys[i] = keys[m];
                cells[i] = cells[m];
                i = m;
            }
            keys[i] = key;
            cells[i] = cell;
            return top;
        }
    }
}
