import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {Workspace} from '../../source/model/workspace.js';
import {FramePacer} from '../../source/ui/frame-pacer.js';
import {useFrameTicker} from '../../source/ui/hooks/use-frame-ticker.js';
import {until} from '../helpers/until.js';

afterEach(() => {
	vi.restoreAllMocks();
});

describe('useFrameTicker', () => {
	it('draws once per urgent change, even when two come within the same millisecond', async () => {
		const workspace = new Workspace({factory: () => {
			throw new Error('no panes in this test');
		}});
		let renders = 0;
		function Probe() {
			useFrameTicker(workspace, new FramePacer());
			renders++;
			return <Text>frame</Text>;
		}

		const instance = render(<Probe />);
		await until(() => renders >= 1, 'the first frame');
		// The clock stands still: each change asks for a frame at the same Date.now() as the frame before.
		vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
		workspace.changed(true);
		await until(() => renders >= 2, 'a frame for the first change');
		workspace.changed(true);
		await until(() => renders >= 3, 'a frame for the second change in the same millisecond');
		expect(renders).toBeGreaterThanOrEqual(3);
		instance.unmount();
	});
});
