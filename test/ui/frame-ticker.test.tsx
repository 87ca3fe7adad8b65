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
		// What the model holds, read by the component as the App reads its model: nothing of it in React state.
		const model = {keys: 0};
		function Probe() {
			useFrameTicker(workspace, new FramePacer());
			return <Text>{`keys ${model.keys}`}</Text>;
		}

		const instance = render(<Probe />);
		await until(() => instance.lastFrame() === 'keys 0', 'the first frame');
		// The clock stands still: each change asks for a frame at the same Date.now() as the frame before.
		vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
		model.keys = 1;
		workspace.changed(true);
		await until(() => instance.lastFrame() === 'keys 1', 'a frame for the first change');
		model.keys = 2;
		workspace.changed(true);
		await until(() => instance.lastFrame() === 'keys 2', 'a frame for the second change in the same millisecond', 3000);
		expect(instance.lastFrame()).toBe('keys 2');
		instance.unmount();
	});
});
