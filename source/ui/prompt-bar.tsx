import {Box, Text, useInput} from 'ink';
import TextInput from 'ink-text-input';
import {useState} from 'react';
import {splitAtEnter, useTypedAhead} from './hooks/use-typed-ahead.js';
import {tint, useTheme} from './theme.js';

type Props = {
	label: string;
	initial: string;
	/** Keys typed before the prompt was drawn: appended to `initial`; an Enter among them submits. */
	takeTypedAhead?: () => string;
	width: number;
	/** Called on every change, so the pane filters or highlights live as the user types. */
	onChange: (value: string) => string | undefined;
	/** Enter; `rest` is what was typed after it in the same read (keys for the panes). */
	onSubmit: (value: string, rest: string) => void;
	onCancel: () => void;
};

/**
 * The bottom line while typing a filter or a search. Its keys go only here (the panes' handler is inactive
 * meanwhile); Enter keeps what was typed, Esc cancels. An invalid regex is shown next to the input.
 */
export function PromptBar({label, initial, takeTypedAhead, width, onChange, onSubmit, onCancel}: Props) {
	const theme = useTheme();
	const [value, setValue] = useState(initial);
	const [error, setError] = useState<string | undefined>(undefined);
	// An Enter inside a run of typed text (keys typed ahead of the prompt, or batched by a slow ssh link)
	// submits what came before it, rather than becoming part of the pattern.
	const accept = (next: string) => {
		const {text, enter, rest} = splitAtEnter(next);
		setValue(text);
		setError(onChange(text));
		if (enter) {
			onSubmit(text, rest);
		}
	};

	const inputKey = useTypedAhead(takeTypedAhead, (typed) => {
		accept(initial + typed);
	});
	useInput((_input, key) => {
		if (key.escape) {
			onCancel();
		}
	});
	return (
		<Box width={width} height={1} overflow="hidden">
			<Text wrap="truncate-end">
				<Text bold>{label} </Text>
				<TextInput
					key={inputKey}
					value={value}
					onChange={accept}
					onSubmit={(text) => {
						onSubmit(text, '');
					}}
				/>
				{error ? <Text color={tint(theme, 'red')} bold={!theme.color}>{`  ${error}`}</Text> : <Text dimColor>{'  Enter keep · Esc clear'}</Text>}
			</Text>
		</Box>
	);
}
